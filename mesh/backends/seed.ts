/** Seed data shared by the embedded demo backends, so that REST pets and GraphQL reviews line up. */

export interface PetRecord {
  id: number;
  name: string;
  category?: { id: number; name: string };
  photoUrls: string[];
  tags: Array<{ id: number; name: string }>;
  status: 'available' | 'pending' | 'sold';
}

export function seedPets(): PetRecord[] {
  const dogs = { id: 1, name: 'Dogs' };
  const cats = { id: 2, name: 'Cats' };
  return [
    { id: 1, name: 'Rex', category: dogs, photoUrls: ['https://example.com/rex.png'], tags: [{ id: 1, name: 'friendly' }], status: 'available' },
    { id: 2, name: 'Tom', category: cats, photoUrls: ['https://example.com/tom.png'], tags: [{ id: 2, name: 'lazy' }], status: 'available' },
    { id: 3, name: 'Fido', category: dogs, photoUrls: [], tags: [{ id: 1, name: 'friendly' }, { id: 3, name: 'old' }], status: 'pending' },
    { id: 4, name: 'Kitty', category: cats, photoUrls: [], tags: [], status: 'sold' },
    { id: 5, name: 'Bella', category: dogs, photoUrls: [], tags: [{ id: 4, name: 'puppy' }], status: 'available' },
  ];
}

export interface OwnerRecord { id: string; name: string; email: string; phone: string }
export interface ReviewRecord { id: string; petId: number; rating: number; text: string; authorId: string; createdAt: string }
export interface AdoptionRecord { id: string; petId: number; ownerId: string; adoptedAt: string; fee: number }

export function seedCommunity(): { owners: OwnerRecord[]; reviews: ReviewRecord[]; adoptions: AdoptionRecord[] } {
  return {
    owners: [
      { id: 'o1', name: 'Alice', email: 'alice@example.com', phone: '+1-555-0101' },
      { id: 'o2', name: 'Bob', email: 'bob@example.com', phone: '+1-555-0102' },
    ],
    reviews: [
      { id: 'r1', petId: 1, rating: 5, text: 'Rex is a good boy', authorId: 'o1', createdAt: '2026-01-02T10:00:00Z' },
      { id: 'r2', petId: 1, rating: 4, text: 'Barks a bit', authorId: 'o2', createdAt: '2026-01-03T10:00:00Z' },
      { id: 'r3', petId: 2, rating: 3, text: 'Tom sleeps all day', authorId: 'o2', createdAt: '2026-01-04T10:00:00Z' },
    ],
    adoptions: [{ id: 'a1', petId: 4, ownerId: 'o1', adoptedAt: '2026-02-01T09:00:00Z', fee: 120 }],
  };
}
