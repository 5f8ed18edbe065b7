/**
 * Normalization of the values customers are found by: names and free text,
 * emails, phones, numbers (customer, order, tracking, ticket, contract),
 * countries and postal codes.
 *
 * Every function here runs identically at index time (fold, identity keys)
 * and at query time (search query builder). Changing one changes what is
 * stored, so a change needs a re-index of the `customers` index.
 */
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';

/** A normalized identifier and whether it could be standardized. */
export interface NormalizedValue {
  value: string;
  valid: boolean;
}

// Letters that NFKD does not decompose into a base letter plus a mark.
const extraFolds: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const extraFoldPattern = new RegExp(`[${Object.keys(extraFolds).join('')}]`, 'g');

/**
 * Folds free text (names, cities, streets, ticket subjects, product names)
 * into a form where spelling variants compare equal.
 *
 * Steps, in this order: lower-case; NFKD and drop combining marks
 * (é → e, ä → a); fold letters NFKD keeps (ß → ss, ø → o, æ → ae …); replace
 * every run of non-letters/non-digits with one space; then fold the German
 * transliterations `ae → a`, `oe → o`, `ue → u`, `ss → s`; trim.
 *
 * So "Müller", "Mueller" and "MULLER" all give `muller`, and "Strauß" and
 * "Strauss" give `straus`.
 *
 * The transliteration step also rewrites words that merely contain those
 * letter pairs ("Michael" → `michal`, "Manuel" → `manul`). That is accepted:
 * the same function runs at index time and at query time, so consistency
 * matters more than linguistic perfection — both sides fold alike and match.
 *
 * @example foldText('  Anna-Lena  MÜLLER ') // 'anna lena muller'
 */
export function foldText(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(extraFoldPattern, (ch) => extraFolds[ch] ?? ch)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/ae/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/ue/g, 'u')
    .replace(/ss/g, 's')
    .trim();
}

// Deliberately loose: sources send what their users typed, and a strict RFC
// check would flag addresses that mail servers accept.
const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[^\s@.]{2,}$/;

/**
 * Trims and lower-cases an email address. `valid` tells whether it looks like
 * an email (`local@domain.tld`); invalid values are kept so they can be
 * flagged, not silently dropped. Null for empty input.
 *
 * @example normalizeEmail(' Anna.Schmidt@Example.de ') // { value: 'anna.schmidt@example.de', valid: true }
 */
export function normalizeEmail(raw: string | null | undefined): NormalizedValue | null {
  const value = (raw ?? '').trim().toLowerCase();
  if (!value) return null;
  return { value, valid: emailPattern.test(value) };
}

/**
 * Standardizes a phone number to E.164 (`+491701234567`).
 *
 * Accepts the usual writings: `+49 170 1234567`, `0049-170-1234567`,
 * `0170 1234567` and `(0170) 123 45 67` (national numbers use
 * `defaultCountry`, an ISO 3166-1 alpha-2 code, default `DE`).
 *
 * `valid` means the number has a plausible length for its country
 * (libphonenumber's `isPossible`). Number ranges are deliberately not checked:
 * range metadata changes over time and would make the same number match on one
 * day and not on another.
 *
 * When the number cannot be parsed: `value` is the digits only (with a leading
 * `+` kept when given) and `valid` is false. Null for empty input or input
 * without any digit (nothing that could be a phone).
 *
 * @example normalizePhone('0170 1234567') // { value: '+491701234567', valid: true }
 */
export function normalizePhone(
  raw: string | null | undefined,
  defaultCountry: string = 'DE',
): NormalizedValue | null {
  const trimmed = (raw ?? '').trim();
  const digits = trimmed.replace(/\D/g, '');
  if (!digits) return null;
  const country = toPhoneCountry(defaultCountry);
  const hasPlus = /^\s*\+/.test(trimmed);
  // `00` is the international prefix in nearly all of Europe; libphonenumber
  // only understands it for countries that use it, so make it explicit.
  const candidate = !hasPlus && /^\s*\(?\s*00/.test(trimmed) ? `+${digits.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, country);
  if (parsed && parsed.isPossible()) return { value: parsed.number, valid: true };
  return { value: `${hasPlus ? '+' : ''}${digits}`, valid: false };
}

function toPhoneCountry(iso2: string): CountryCode {
  const upper = iso2.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : 'DE';
}

/**
 * The last 4 to 10 digits of a phone number, shortest first, so a caller can
 * be found by the end of a number ("…4567"). Only suffixes the number is long
 * enough for are returned.
 *
 * @example phoneSuffixes('+491701234567') // ['4567', '34567', …, '1701234567']
 */
export function phoneSuffixes(e164OrDigits: string): string[] {
  const digits = e164OrDigits.replace(/\D/g, '');
  const suffixes: string[] = [];
  for (let n = 4; n <= 10 && n <= digits.length; n += 1) suffixes.push(digits.slice(-n));
  return suffixes;
}

/**
 * Normalizes customer, order, tracking, ticket and contract numbers: upper-case
 * without spaces, dashes, dots, slashes and underscores.
 *
 * @example normalizeNumber('k-102 934') // 'K102934'
 */
export function normalizeNumber(raw: string): string {
  return raw.toUpperCase().replace(/[\s\-\u2010-\u2015._/]+/g, '');
}

/**
 * Normalizes a postal code the way numbers are normalized (`sw1a 1aa` →
 * `SW1A1AA`), so a query token compares equal to the stored code.
 */
export function normalizePostalCode(raw: string): string {
  return normalizeNumber(raw);
}

// ISO 3166-1 alpha-2 codes; names in several languages come from Intl below.
const iso2Codes = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

// Names and codes real CRMs write that Intl's display names do not cover.
// Listed explicitly so the common cases work even on a runtime without full ICU.
// prettier-ignore
const countryAliases: Record<string, string> = {
  deutschland: 'DE', germany: 'DE', allemagne: 'DE', germania: 'DE', alemania: 'DE', brd: 'DE', deu: 'DE', ger: 'DE',
  osterreich: 'AT', austria: 'AT', autriche: 'AT', aut: 'AT',
  schweiz: 'CH', switzerland: 'CH', suisse: 'CH', svizzera: 'CH', che: 'CH',
  liechtenstein: 'LI', lie: 'LI',
  frankreich: 'FR', france: 'FR', fra: 'FR',
  italien: 'IT', italy: 'IT', italia: 'IT', ita: 'IT',
  spanien: 'ES', spain: 'ES', espana: 'ES', esp: 'ES',
  portugal: 'PT', prt: 'PT',
  niederlande: 'NL', netherlands: 'NL', 'the netherlands': 'NL', holland: 'NL', nederland: 'NL', nld: 'NL',
  belgien: 'BE', belgium: 'BE', belgique: 'BE', belgie: 'BE', bel: 'BE',
  luxemburg: 'LU', luxembourg: 'LU', lux: 'LU',
  danemark: 'DK', denmark: 'DK', danmark: 'DK', dnk: 'DK',
  schweden: 'SE', sweden: 'SE', sverige: 'SE', swe: 'SE',
  finnland: 'FI', finland: 'FI', suomi: 'FI', fin: 'FI',
  norwegen: 'NO', norway: 'NO', norge: 'NO', nor: 'NO',
  island: 'IS', iceland: 'IS',
  irland: 'IE', ireland: 'IE', irl: 'IE',
  polen: 'PL', poland: 'PL', polska: 'PL', pol: 'PL',
  tschechien: 'CZ', 'czech republic': 'CZ', czechia: 'CZ', 'tschechische republik': 'CZ', cze: 'CZ',
  slowakei: 'SK', slovakia: 'SK', svk: 'SK',
  ungarn: 'HU', hungary: 'HU', magyarorszag: 'HU', hun: 'HU',
  slowenien: 'SI', slovenia: 'SI', svn: 'SI',
  kroatien: 'HR', croatia: 'HR', hrvatska: 'HR', hrv: 'HR',
  rumanien: 'RO', romania: 'RO', rou: 'RO',
  bulgarien: 'BG', bulgaria: 'BG', bgr: 'BG',
  griechenland: 'GR', greece: 'GR', grc: 'GR',
  zypern: 'CY', cyprus: 'CY', cyp: 'CY',
  malta: 'MT', mlt: 'MT',
  estland: 'EE', estonia: 'EE', est: 'EE',
  lettland: 'LV', latvia: 'LV', lva: 'LV',
  litauen: 'LT', lithuania: 'LT', ltu: 'LT',
  turkei: 'TR', turkey: 'TR', turkiye: 'TR', tur: 'TR',
  'vereinigtes konigreich': 'GB', 'united kingdom': 'GB', uk: 'GB', 'great britain': 'GB', grossbritannien: 'GB',
  grosbritanien: 'GB', england: 'GB', scotland: 'GB', wales: 'GB', gbr: 'GB',
  'vereinigte staaten': 'US', 'united states': 'US', 'united states of america': 'US', usa: 'US', amerika: 'US', america: 'US',
  kanada: 'CA', canada: 'CA', can: 'CA',
  russland: 'RU', russia: 'RU', rus: 'RU',
  ukraine: 'UA', ukr: 'UA',
  serbien: 'RS', serbia: 'RS', srb: 'RS',
  bosnien: 'BA', 'bosnien und herzegowina': 'BA', 'bosnia and herzegovina': 'BA',
  kosovo: 'XK',
};

let countryIndex: Map<string, string> | null = null;

function buildCountryIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const add = (name: string, code: string): void => {
    const key = foldText(name);
    if (key && !index.has(key)) index.set(key, code);
  };
  for (const [name, code] of Object.entries(countryAliases)) add(name, code);
  for (const locale of ['de', 'en', 'fr', 'it', 'es', 'nl', 'pl', 'tr']) {
    let names: Intl.DisplayNames;
    try {
      names = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      continue; // a runtime without this locale still has the aliases above
    }
    for (const code of iso2Codes) {
      const name = names.of(code);
      if (name && name !== code) add(name, code);
    }
  }
  return index;
}

const iso2Set = new Set(iso2Codes);

/**
 * ISO 3166-1 alpha-2 code of a country written as a code (`DE`, `de`, `DEU`)
 * or a name in German, English and other common languages (`Deutschland`,
 * `Germany`, `Österreich`, `Schweiz`, `Switzerland` …).
 *
 * @param fallback returned (normalized) when `raw` is empty or unknown; default none.
 * @returns the code, or `fallback`'s code, or null.
 * @example normalizeCountry('Österreich') // 'AT'
 */
export function normalizeCountry(
  raw: string | null | undefined,
  fallback?: string | null,
): string | null {
  const direct = lookupCountry(raw);
  if (direct) return direct;
  return fallback ? lookupCountry(fallback) : null;
}

function lookupCountry(raw: string | null | undefined): string | null {
  const trimmed = (raw ?? '').trim();
  if (!trimmed) return null;
  const upper = trimmed.toUpperCase();
  if (upper.length === 2 && iso2Set.has(upper)) return upper;
  if (upper === 'UK') return 'GB';
  countryIndex ??= buildCountryIndex();
  return countryIndex.get(foldText(trimmed)) ?? null;
}

// Name particles that stay lower-case inside a name ("Ursula von der Leyen").
const nameParticles = new Set([
  'von',
  'van',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'du',
  'dos',
  'das',
  'zu',
  'zur',
  'zum',
  'ten',
  'ter',
  'y',
  'la',
  'le',
]);

/**
 * Capitalizes a name that arrives all lower-case, all upper-case or randomly
 * cased ("aNNA-lena o'neil"). Names a source already wrote deliberately
 * ("McDonald", "de Vries", "Anna-Lena") are left as they are, because the
 * source knew better than any rule here.
 *
 * A name counts as deliberately written when it has upper- and lower-case
 * letters and every word either starts with an upper-case letter or is wholly
 * lower-case (a particle like "von").
 *
 * @example capitalizeName("aNNA-lena o'neil") // "Anna-Lena O'Neil"
 * @example capitalizeName('HANS VON DER HEIDE') // 'Hans von der Heide'
 */
export function capitalizeName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (isDeliberatelyCased(trimmed)) return trimmed;
  return trimmed
    .toLowerCase()
    .split(' ')
    .map((word, i) => (i > 0 && nameParticles.has(word) ? word : capitalizeWord(word)))
    .join(' ');
}

function isDeliberatelyCased(name: string): boolean {
  const hasUpper = /\p{Lu}/u.test(name);
  const hasLower = /\p{Ll}/u.test(name);
  if (!hasUpper || !hasLower) return false;
  // Every word either starts upper-case and continues with lower-case
  // somewhere, or is wholly lower-case (particles like "von"): that is a
  // writing someone chose. "aNNA" (lower then upper at the start) is not.
  return name.split(' ').every((word) => /^\p{Lu}/u.test(word) || word === word.toLowerCase());
}

function capitalizeWord(word: string): string {
  // Capitalize after the start, a hyphen and an apostrophe: Anna-Lena, O'Neil.
  return word.replace(
    /(^|[-'’])(\p{Ll})/gu,
    (_m, sep: string, letter: string) => `${sep}${letter.toUpperCase()}`,
  );
}

// Postal-code forms of the countries whose codes are checked; others are only tidied.
// prettier-ignore
const postalForms: Record<string, { pattern: RegExp; prefixes: string[] }> = {
  DE: { pattern: /^\d{5}$/, prefixes: ['D', 'DE'] },
  AT: { pattern: /^\d{4}$/, prefixes: ['A', 'AT'] },
  CH: { pattern: /^\d{4}$/, prefixes: ['CH'] },
  LI: { pattern: /^\d{4}$/, prefixes: ['FL', 'LI'] },
  LU: { pattern: /^\d{4}$/, prefixes: ['L', 'LU'] },
  BE: { pattern: /^\d{4}$/, prefixes: ['B', 'BE'] },
  DK: { pattern: /^\d{4}$/, prefixes: ['DK'] },
  FR: { pattern: /^\d{5}$/, prefixes: ['F', 'FR'] },
  IT: { pattern: /^\d{5}$/, prefixes: ['I', 'IT'] },
  ES: { pattern: /^\d{5}$/, prefixes: ['E', 'ES'] },
  PL: { pattern: /^\d{2}-\d{3}$/, prefixes: ['PL'] },
  NL: { pattern: /^\d{4} [A-Z]{2}$/, prefixes: ['NL'] },
  // Loose on the inward part: sources (and test data generators) write codes Royal Mail would not issue.
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z\d]{2}$/, prefixes: [] },
};

const prefixPatterns = new Map<string, RegExp>();

/** `D-`, `DE `, `D` before the digits of a German code; built once per country. */
function prefixPattern(country: string, prefixes: string[]): RegExp {
  let pattern = prefixPatterns.get(country);
  if (!pattern) {
    // Longest first, so `DE-` is taken whole rather than as `D` plus a stray `E`.
    const alternatives = [...prefixes].sort((a, b) => b.length - a.length).join('|');
    pattern = new RegExp(`^(?:${alternatives})[\\s-]*(?=\\d)`);
    prefixPatterns.set(country, pattern);
  }
  return pattern;
}

/**
 * Standardizes a postal code for display in the form its country writes it:
 * upper-case, whitespace tidied, a country prefix dropped (`D-80331` →
 * `80331`, `CH-8001` → `8001`), `1234ab` → `1234 AB` (NL), `sw1a1aa` →
 * `SW1A 1AA` (GB), `00950` → `00-950` (PL). `valid` is false when the code
 * does not have its country's form; the value is then only tidied, never
 * dropped. Without a known country any code with letters or digits is
 * accepted. Null for empty input.
 *
 * @param country ISO 3166-1 alpha-2 code of the address, if known.
 * @example standardizePostalCode(' d-80331 ', 'DE') // { value: '80331', valid: true }
 */
export function standardizePostalCode(
  raw: string | null | undefined,
  country?: string | null,
): NormalizedValue | null {
  const tidy = (raw ?? '').trim().replace(/\s+/g, ' ').toUpperCase();
  if (!tidy) return null;
  const form = country ? postalForms[country] : undefined;
  if (!form) return { value: tidy, valid: /[A-Z0-9]/.test(tidy) };
  const code = form.prefixes.length
    ? tidy.replace(prefixPattern(country ?? '', form.prefixes), '')
    : tidy;
  const compact = code.replace(/[\s-]+/g, '');
  const candidates: string[] = [code, compact];
  if (country === 'NL' && /^\d{4}[A-Z]{2}$/.test(compact))
    candidates.push(`${compact.slice(0, 4)} ${compact.slice(4)}`);
  if (country === 'GB' && compact.length >= 5)
    candidates.push(`${compact.slice(0, -3)} ${compact.slice(-3)}`);
  if (country === 'PL' && /^\d{5}$/.test(compact))
    candidates.push(`${compact.slice(0, 2)}-${compact.slice(2)}`);
  const fitting = candidates.find((c) => form.pattern.test(c));
  return fitting ? { value: fitting, valid: true } : { value: tidy, valid: false };
}

// Words that stay lower-case inside a place or street name ("Frankfurt am Main", "Straße des 17. Juni").
const placeParticles = new Set([
  ...nameParticles,
  'am',
  'an',
  'im',
  'in',
  'ob',
  'bei',
  'vor',
  'auf',
  'unter',
  'dem',
  'des',
  'die',
  'das',
  'sur',
  'sous',
  'les',
  'et',
]);

/**
 * Tidies a city or street as written: whitespace collapsed, and a value
 * that arrives wholly upper- or lower-case ("MÜNCHEN", "frankfurt am main",
 * "HAUPTSTR. 5") capitalized word by word, particles lower-case
 * ("Frankfurt am Main"). Mixed-case writings are the source's choice and
 * stay. Null for empty input.
 *
 * @example standardizePlace('FRANKFURT AM MAIN') // 'Frankfurt am Main'
 */
export function standardizePlace(raw: string | null | undefined): string | null {
  const trimmed = (raw ?? '').trim().replace(/\s+/g, ' ');
  if (!trimmed) return null;
  const upper = trimmed.toUpperCase();
  const lower = trimmed.toLowerCase();
  if (trimmed !== upper && trimmed !== lower) return trimmed;
  return lower
    .split(' ')
    .map((word, i) =>
      i > 0 && placeParticles.has(word)
        ? word
        : word.replace(
            /(^|[-'’(/.])(\p{Ll})/gu,
            (_m, sep: string, letter: string) => `${sep}${letter.toUpperCase()}`,
          ),
    )
    .join(' ');
}

/** What a search query most likely is; decides which fields the search builder targets. */
export type QueryKind = 'email' | 'phone' | 'number' | 'text';

/**
 * Classifies a search query:
 * - `email` when it contains `@`;
 * - `phone` when it has no letters, only digits and `+ ( ) - / .` and spaces,
 *   and at least 4 digits. Plain digit strings ("80331", "102934") are
 *   `phone` too, so the search builder should also look at numbers and postal
 *   codes for this kind;
 * - `number` when it is one token with at least one digit and one letter
 *   ("A-100234", "TCK-5512", "1Z999AA10123456784"), or a letter prefix and
 *   digits separated by a space ("K 102934");
 * - otherwise `text`.
 */
export function detectQueryKind(q: string): QueryKind {
  const s = q.trim();
  if (s.includes('@')) return 'email';
  const digitCount = (s.match(/\d/g) ?? []).length;
  if (digitCount >= 4 && /^[+\d\s()\-/.]+$/.test(s)) return 'phone';
  const hasLetter = /\p{L}/u.test(s);
  if (digitCount > 0 && hasLetter && !/\s/.test(s)) return 'number';
  if (/^\p{L}{1,5}[\s-]+\d{3,}$/u.test(s)) return 'number';
  return 'text';
}
