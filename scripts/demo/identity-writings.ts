/**
 * The many ways source systems write the same person: phone numbers in
 * several formats, e-mails with odd case and stray whitespace, umlauts
 * transliterated by systems that could not store them.
 */
import type { SeededRandom } from './seeded-random';

/** A phone number as its parts, so it can be written in any common format. */
export interface DemoPhone {
  /** ISO country of the number, e.g. `DE`. */
  country: string;
  /** Country calling code without `+`, e.g. `49`. */
  countryCode: string;
  /** Area or mobile prefix without the trunk `0`, e.g. `170`. */
  prefix: string;
  /** Subscriber number, e.g. `1234567`. */
  subscriber: string;
  /** Whether the national writing starts with a trunk `0` (not in Italy or the US). */
  trunkZero: boolean;
}

/** E.164, e.g. `+491701234567`: the one writing every system agrees on after normalization. */
export function phoneE164(phone: DemoPhone): string {
  return `+${phone.countryCode}${phone.prefix}${phone.subscriber}`;
}

function grouped(subscriber: string): string {
  // "1234567" → "123 45 67", the way German and Swiss people dictate numbers.
  if (subscriber.length <= 4) return subscriber;
  const head = subscriber.slice(0, subscriber.length - 4);
  return `${head} ${subscriber.slice(-4, -2)} ${subscriber.slice(-2)}`;
}

/**
 * Writes a phone number the way some source system would.
 *
 * National writings (`0170 1234567`) are only used where the receiver can
 * tell the country: for German numbers (the contract's default) or when the
 * same touchpoint carries an address in the number's country. Otherwise a
 * phone-only touchpoint of an Austrian caller could never be matched, and the
 * ground truth would promise a link no system could make.
 */
export function writePhone(
  rng: SeededRandom,
  phone: DemoPhone,
  addressCountry: string | null,
): string {
  const { countryCode: cc, prefix, subscriber } = phone;
  const national = phone.trunkZero && (phone.country === 'DE' || addressCountry === phone.country);
  const styles: [() => string, number][] = [
    [() => `+${cc} ${prefix} ${subscriber}`, 30],
    [() => `+${cc}${prefix}${subscriber}`, 12],
    [() => `00${cc}-${prefix}-${subscriber}`, 6],
    [() => `00${cc} ${prefix} ${subscriber}`, 6],
    [() => `+${cc} ${prefix} ${grouped(subscriber)}`, 8],
  ];
  if (phone.trunkZero) styles.push([() => `+${cc} (0)${prefix} ${subscriber}`, 4]);
  if (national) {
    styles.push(
      [() => `0${prefix} ${subscriber}`, 24],
      [() => `(0${prefix}) ${grouped(subscriber)}`, 8],
      [() => `0${prefix}/${subscriber}`, 6],
      [() => `0${prefix}-${subscriber}`, 4],
    );
  }
  return rng.weighted(styles)();
}

/**
 * Writes an e-mail address the way some source system would: mostly as
 * typed, sometimes capitalised, shouted or with surrounding whitespace from a
 * copy-and-paste. The address itself is always the same mailbox.
 */
export function writeEmail(rng: SeededRandom, email: string): string {
  const roll = rng.next();
  if (roll < 0.7) return email;
  if (roll < 0.84) return capitaliseEmail(email);
  if (roll < 0.88) return email.toUpperCase();
  if (roll < 0.95) return `${capitaliseEmail(email)} `;
  return `  ${email} `;
}

function capitaliseEmail(email: string): string {
  // "anna.schmidt17@example.de" → "Anna.Schmidt17@Example.de"
  const [local, domain] = email.split('@');
  const cap = (part: string): string => part.charAt(0).toUpperCase() + part.slice(1);
  const domainParts = domain.split('.');
  const host = domainParts.slice(0, -1).map(cap).join('.');
  return `${local.split('.').map(cap).join('.')}@${host}.${domainParts[domainParts.length - 1]}`;
}

const transliterations: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  ß: 'ss',
};

/** "Müller" → "Mueller", "Groß" → "Gross": what systems without umlauts store. */
export function transliterate(text: string): string {
  return text.replace(/[äöüÄÖÜß]/g, (ch) => transliterations[ch] ?? ch);
}

export function hasUmlaut(text: string): boolean {
  return /[äöüÄÖÜß]/.test(text);
}

// Letters that NFD does not decompose into a base letter plus a mark.
const asciiOnly: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
};

/** A name as it can appear in the local part of an e-mail address. */
export function emailSlug(text: string): string {
  return transliterate(text)
    .replace(/[łŁıøØđæœ]/g, (ch) => asciiOnly[ch] ?? ch)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** "Lindenstraße 4" ↔ "Lindenstr. 4": two systems, one street. */
export function abbreviateStreet(street: string): string {
  return street.replace(/(S|s)tra(ß|ss)e\b/, '$1tr.');
}
