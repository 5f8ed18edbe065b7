/**
 * One demo person: who they are, where they live, how to reach them, and
 * which source systems know them. Everything here is decided up front so the
 * history (person-history.ts) can write consistent records in every source.
 */
import { Faker, base, de, de_AT, de_CH, en, en_GB, en_US, fr, it, pl, tr } from '@faker-js/faker';
import type { Address } from '../../domain/src/contract';
import { emailSlug } from './identity-writings';
import type { DemoPhone } from './identity-writings';
import { dachCity } from './dach-cities';
import { categories } from './product-catalogue';
import { SeededRandom, mixSeed, scatter } from './seeded-random';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** How far back the demo history reaches. */
export const HISTORY_MS = 3 * 365 * DAY;

/** A value that changed over time, e.g. an e-mail address or an address after a move. */
export interface TimedValue<T> {
  value: T;
  /** From when it is valid, ms since the epoch; the first entry is valid from the start. */
  validFrom: number;
}

export interface DemoPerson {
  /** The ground truth, e.g. `p123`: never written into a touchpoint. */
  personId: string;
  index: number;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  /** ISO country of residence. */
  country: string;
  language: string;
  currency: 'EUR' | 'CHF';
  company: string | null;
  /** Oldest first. */
  addresses: TimedValue<Address>[];
  /** Canonical lower-case mailboxes, oldest first. */
  emails: TimedValue<string>[];
  mobile: DemoPhone;
  /** Office or home line; only people with contracts have one, so it is always linked. */
  landline: DemoPhone | null;
  /** CRM customer number, or null when the CRM does not know the person. */
  customerNumber: string | null;
  shopRole: 'account' | 'guest' | 'none';
  shopAccountId: string | null;
  /** The shop account was linked to the CRM number at some point. */
  shopKnowsCustomerNumber: boolean;
  /** The shop system stores "Mueller" for "Müller". */
  shopTransliterates: boolean;
  hasContracts: boolean;
  /** First contact, ms since the epoch. */
  since: number;
  /** Scales how many touchpoints the person produces: ~0.2 for the quiet, 5–12 for heavy users. */
  activity: number;
  favouriteCategories: string[];
}

type NameOrigin = 'de' | 'de_AT' | 'de_CH' | 'tr' | 'pl' | 'it' | 'fr' | 'en_GB' | 'en_US';
type Country = 'DE' | 'AT' | 'CH' | 'GB' | 'FR' | 'IT' | 'US';

// Built once: a Faker instance is costly to construct but cheap to reseed.
const fakers: Record<NameOrigin, Faker> = {
  de: new Faker({ locale: [de, en, base] }),
  de_AT: new Faker({ locale: [de_AT, de, en, base] }),
  de_CH: new Faker({ locale: [de_CH, de, en, base] }),
  tr: new Faker({ locale: [tr, en, base] }),
  pl: new Faker({ locale: [pl, en, base] }),
  it: new Faker({ locale: [it, en, base] }),
  fr: new Faker({ locale: [fr, en, base] }),
  en_GB: new Faker({ locale: [en_GB, en, base] }),
  en_US: new Faker({ locale: [en_US, en, base] }),
};

const addressFakerByCountry: Record<Country, NameOrigin> = {
  DE: 'de',
  AT: 'de_AT',
  CH: 'de_CH',
  GB: 'en_GB',
  FR: 'fr',
  IT: 'it',
  US: 'en_US',
};

/** Who lives where: mostly DACH, with the names real German customer bases have. */
const origins: readonly (readonly [readonly [NameOrigin, Country, string], number])[] = [
  [['de', 'DE', 'de'], 53],
  [['de_AT', 'AT', 'de'], 14],
  [['de_CH', 'CH', 'de'], 10],
  [['tr', 'DE', 'de'], 5],
  [['pl', 'DE', 'de'], 4],
  [['it', 'DE', 'de'], 2],
  [['fr', 'DE', 'de'], 1],
  [['en_GB', 'DE', 'en'], 1],
  [['tr', 'AT', 'de'], 1],
  [['it', 'CH', 'it'], 1],
  [['en_GB', 'GB', 'en'], 3],
  [['fr', 'FR', 'fr'], 2.5],
  [['it', 'IT', 'it'], 2],
  [['en_US', 'US', 'en'], 1.5],
];

/** Surnames that make search hard: umlauts and ß, which other systems write as ae/oe/ue/ss. */
const umlautSurnames: readonly string[] = [
  'Müller',
  'Jäger',
  'Groß',
  'Weiß',
  'Schröder',
  'Köhler',
  'Krüger',
  'Günther',
  'Böhm',
  'Strauß',
  'Hölzl',
  'Schönberger',
  'Müllner',
  'Fuß',
  'Möller',
  'Bäcker',
  'Würth',
  'Dürr',
];

const mailDomains: Record<Country, readonly (readonly [string, number])[]> = {
  DE: [
    ['gmx.de', 20],
    ['web.de', 20],
    ['t-online.de', 15],
    ['gmail.com', 20],
    ['outlook.de', 8],
    ['yahoo.de', 5],
    ['posteo.de', 3],
    ['freenet.de', 4],
    ['icloud.com', 5],
  ],
  AT: [
    ['gmx.at', 25],
    ['aon.at', 15],
    ['chello.at', 8],
    ['gmail.com', 30],
    ['outlook.com', 12],
    ['icloud.com', 5],
  ],
  CH: [
    ['bluewin.ch', 30],
    ['gmx.ch', 15],
    ['sunrise.ch', 8],
    ['gmail.com', 30],
    ['hotmail.ch', 10],
  ],
  GB: [
    ['gmail.com', 40],
    ['outlook.com', 20],
    ['yahoo.co.uk', 20],
    ['btinternet.com', 20],
  ],
  FR: [
    ['orange.fr', 30],
    ['gmail.com', 35],
    ['free.fr', 20],
    ['laposte.net', 15],
  ],
  IT: [
    ['libero.it', 35],
    ['gmail.com', 45],
    ['alice.it', 20],
  ],
  US: [
    ['gmail.com', 50],
    ['yahoo.com', 25],
    ['outlook.com', 25],
  ],
};

interface PhonePlan {
  countryCode: string;
  trunkZero: boolean;
  mobile: readonly string[];
  landline: readonly string[];
}

const phonePlans: Record<Country, PhonePlan> = {
  DE: {
    countryCode: '49',
    trunkZero: true,
    mobile: [
      '151',
      '152',
      '157',
      '160',
      '162',
      '163',
      '170',
      '171',
      '172',
      '173',
      '174',
      '175',
      '176',
      '177',
      '178',
      '179',
    ],
    landline: ['30', '40', '89', '221', '69', '711', '211', '351', '511', '911'],
  },
  AT: {
    countryCode: '43',
    trunkZero: true,
    mobile: ['650', '660', '664', '676', '680', '681', '699'],
    landline: ['1', '316', '512', '662', '732'],
  },
  CH: {
    countryCode: '41',
    trunkZero: true,
    mobile: ['76', '77', '78', '79'],
    landline: ['44', '31', '61', '21', '22'],
  },
  GB: {
    countryCode: '44',
    trunkZero: true,
    mobile: ['740', '750', '770', '790'],
    landline: ['20', '161', '121'],
  },
  FR: {
    countryCode: '33',
    trunkZero: true,
    mobile: ['61', '62', '67', '76'],
    landline: ['14', '47', '42'],
  },
  IT: {
    countryCode: '39',
    trunkZero: false,
    mobile: ['320', '333', '347', '349'],
    landline: ['06', '02', '011'],
  },
  US: {
    countryCode: '1',
    trunkZero: false,
    mobile: ['212', '415', '617', '312'],
    landline: ['202', '646'],
  },
};

// Multipliers coprime to 9,000,000 (no factor 2, 3 or 5): each person gets
// distinct numbers without a registry of numbers already handed out.
const NUMBER_SPACE = 9_000_000;
const MOBILE_MULTIPLIER = 7_654_321;
const LANDLINE_MULTIPLIER = 4_382_911;
const CUSTOMER_MULTIPLIER = 2_718_281;
const ACCOUNT_MULTIPLIER = 3_141_593;

function uniqueSevenDigits(index: number, multiplier: number, seed: number, salt: number): string {
  return String(1_000_000 + scatter(index, NUMBER_SPACE, multiplier, mixSeed(seed, salt)));
}

function birthDate(rng: SeededRandom, now: number): string {
  const age = Math.max(18, Math.min(92, Math.round(44 + 15 * rng.normal())));
  const born = now - age * 365.25 * DAY - rng.int(0, 364) * DAY;
  return new Date(born).toISOString().slice(0, 10);
}

function pickActivity(rng: SeededRandom): number {
  // Skewed like real customer bases: most people barely interact, a few dominate.
  const tier = rng.weighted([
    ['quiet', 50],
    ['regular', 33],
    ['heavy', 14],
    ['power', 3],
  ] as const);
  switch (tier) {
    case 'quiet':
      return rng.float(0.12, 0.4);
    case 'regular':
      return rng.float(0.5, 1.2);
    case 'heavy':
      return rng.float(1.5, 3.5);
    case 'power':
      return rng.float(6, 12);
  }
}

function companySlug(company: string): string {
  return company
    .split(/[\s,&-]+/)
    .slice(0, 2)
    .map(emailSlug)
    .filter(Boolean)
    .join('-');
}

/**
 * Creates person `index` for `seed`. Each person is seeded on its own, so
 * person 17 is the same whether 100 or 1,000,000 persons are generated.
 */
export function createPerson(
  index: number,
  seed: number,
  now: number,
  rng: SeededRandom,
): DemoPerson {
  const [origin, country, homeLanguage] = rng.weighted(origins);
  const nameFaker = fakers[origin];
  const addressFaker = fakers[addressFakerByCountry[country]];
  nameFaker.seed(mixSeed(seed, index, 11));
  if (addressFaker !== nameFaker) addressFaker.seed(mixSeed(seed, index, 12));

  const sex = rng.chance(0.5) ? 'female' : 'male';
  const firstName = nameFaker.person.firstName(sex);
  const germanic = origin === 'de' || origin === 'de_AT' || origin === 'de_CH';
  const lastName =
    germanic && rng.chance(0.12) ? rng.pick(umlautSurnames) : nameFaker.person.lastName(sex);
  const dach = country === 'DE' || country === 'AT' || country === 'CH';
  const company = dach && rng.chance(0.07) ? addressFaker.company.name() : null;
  const language =
    homeLanguage === 'de' && (origin === 'tr' || origin === 'pl') && rng.chance(0.25)
      ? origin
      : homeLanguage;

  const windowStart = now - HISTORY_MS;
  // A third were customers before the window; their history starts with it.
  const since = rng.chance(0.3)
    ? windowStart + rng.float(0, 20) * DAY
    : rng.float(windowStart, now - DAY);

  const makeAddress = (): Address => {
    const street = `${addressFaker.location.street()} ${addressFaker.location.buildingNumber()}`;
    const place = dachCity(rng, country) ?? {
      city: addressFaker.location.city(),
      postalCode: addressFaker.location.zipCode(),
    };
    return { street, postalCode: place.postalCode, city: place.city, country };
  };
  const addresses: TimedValue<Address>[] = [{ value: makeAddress(), validFrom: since }];
  if (now - since > 60 * DAY && rng.chance(0.1)) {
    addresses.push({ value: makeAddress(), validFrom: rng.float(since + 30 * DAY, now - 2 * DAY) });
  }

  const shopRole = rng.weighted([
    ['account', 62],
    ['guest', 10],
    ['none', 28],
  ] as const);
  const inCrm = rng.chance(0.75);

  // The suffix is unique per person (index * 7 + 0..6), so two "Anna Schmidt"
  // never share a mailbox and the ground truth stays unambiguous.
  const suffix = String(index * 7 + rng.int(0, 6));
  const first = emailSlug(firstName) || 'kunde';
  const last = emailSlug(lastName) || 'kunde';
  const makeEmail = (): string => {
    const local = rng.weighted([
      [`${first}.${last}${suffix}`, 40],
      [`${first.charAt(0)}.${last}${suffix}`, 20],
      [`${last}.${first}${suffix}`, 12],
      [`${first}${last}${suffix}`, 15],
      [`${first}_${last}${suffix}`, 8],
      [`${first}${suffix}`, 5],
    ]);
    const domain =
      company && rng.chance(0.8)
        ? `${companySlug(company) || 'firma'}.${country.toLowerCase()}`
        : rng.weighted(mailDomains[country]);
    return `${local}@${domain}`;
  };
  const emails: TimedValue<string>[] = [{ value: makeEmail(), validFrom: since }];
  // An e-mail change is only modelled for shop accounts: the account id is
  // what ties the old mailbox to the new one in every real system too.
  if (shopRole === 'account' && now - since > 90 * DAY && rng.chance(0.12)) {
    let next = makeEmail();
    for (let attempt = 0; next === emails[0].value && attempt < 5; attempt++) next = makeEmail();
    if (next !== emails[0].value)
      emails.push({ value: next, validFrom: rng.float(since + 20 * DAY, now - 5 * DAY) });
  }

  const plan = phonePlans[country];
  const mobile: DemoPhone = {
    country,
    countryCode: plan.countryCode,
    prefix: rng.pick(plan.mobile),
    subscriber: uniqueSevenDigits(index, MOBILE_MULTIPLIER, seed, 1),
    trunkZero: plan.trunkZero,
  };
  const hasContracts = inCrm && rng.chance(company ? 0.6 : 0.33);
  const landline: DemoPhone | null =
    hasContracts && (company !== null || rng.chance(0.3))
      ? {
          country,
          countryCode: plan.countryCode,
          prefix: rng.pick(plan.landline),
          subscriber: uniqueSevenDigits(index, LANDLINE_MULTIPLIER, seed, 2),
          trunkZero: plan.trunkZero,
        }
      : null;

  return {
    personId: `p${index + 1}`,
    index,
    firstName,
    lastName,
    birthDate: rng.chance(0.85) ? birthDate(rng, now) : null,
    country,
    language,
    currency: country === 'CH' ? 'CHF' : 'EUR',
    company,
    addresses,
    emails,
    mobile,
    landline,
    customerNumber: inCrm ? `K-${uniqueSevenDigits(index, CUSTOMER_MULTIPLIER, seed, 3)}` : null,
    shopRole,
    shopAccountId:
      shopRole === 'account' ? `u-${uniqueSevenDigits(index, ACCOUNT_MULTIPLIER, seed, 4)}` : null,
    shopKnowsCustomerNumber: inCrm && shopRole === 'account' && rng.chance(0.3),
    shopTransliterates: rng.chance(0.5),
    hasContracts,
    since,
    activity: pickActivity(rng),
    favouriteCategories: rng.sample(categories, 2),
  };
}
