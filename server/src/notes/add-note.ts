/**
 * Use case: an agent adds a note to a customer. The note becomes an ordinary
 * `note` touchpoint of source `panorama` and goes through the normal ingest
 * path (queue → indexer → timeline and, when pinned, the profile), so it is
 * stored, versioned and folded like any other touchpoint.
 *
 * The touchpoint must reach this customer through identity resolution, so it
 * carries one identifier the profile already has, strongest first: a customer
 * number, then the current email, then the current phone. Only one, so that a
 * note can never link (merge) two customers.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Touchpoint } from '../../../domain/src/contract';
import type { Profile } from '../../../domain/src/profile';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { enqueueTouchpoints } from '../ingest/enqueue-touchpoints';

export const addNoteSchema = z.object({
  text: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'must not be empty').max(5_000, 'must be at most 5,000 characters')),
  pinned: z.boolean().default(false),
});
export type AddNoteInput = z.infer<typeof addNoteSchema>;

export interface AddedNote {
  /** `panorama:<id>`: the key of the note in the timeline. */
  key: string;
  customerId: string;
  occurredAt: string;
}

export async function addNote(
  ctx: ServerContext,
  profile: Profile,
  input: AddNoteInput,
  author: string,
): Promise<AddedNote> {
  const customer = identifierOf(profile);
  if (!customer) {
    throw new AppError(
      409,
      'no_identifier',
      'This customer has no customer number, email or phone to attach a note to.',
    );
  }
  const id = `note-${randomUUID()}`;
  const occurredAt = new Date().toISOString();
  const touchpoint: Touchpoint = {
    source: 'panorama',
    id,
    type: 'note',
    occurredAt,
    version: 1,
    customer,
    data: { text: input.text, author, pinned: input.pinned },
  } as Touchpoint;
  const answer = await enqueueTouchpoints(ctx.ingestQueue, [touchpoint]);
  if (answer.accepted !== 1) {
    throw new AppError(
      400,
      'invalid_request',
      'The note could not be accepted: see details.',
      answer.rejected[0]?.errors ?? [],
    );
  }
  return { key: `panorama:${id}`, customerId: profile.id, occurredAt };
}

function identifierOf(profile: Profile): Touchpoint['customer'] | null {
  const customerNumber = profile.customerNumbers[0];
  if (customerNumber) return { customerNumber };
  const email =
    profile.emails.find((e) => e.current && e.valid) ?? profile.emails.find((e) => e.valid);
  if (email) return { email: email.value };
  const phone =
    profile.phones.find((p) => p.current && p.valid) ?? profile.phones.find((p) => p.valid);
  if (phone) return { phone: phone.value };
  return null;
}
