/**
 * Real cities of Germany, Austria and Switzerland with their postal code
 * ranges. Faker invents towns ("Neu Carlastadt"); an agent who searches
 * "Schmidt München" or "80331" needs places that exist.
 */
import type { SeededRandom } from './seeded-random';

/** [city, first postal code, last postal code, weight ~ population]. */
type CityRow = readonly [string, number, number, number];

const cities: Record<'DE' | 'AT' | 'CH', readonly CityRow[]> = {
  DE: [
    ['Berlin', 10115, 14199, 36],
    ['Hamburg', 20095, 22769, 18],
    ['München', 80331, 81929, 15],
    ['Köln', 50667, 51149, 11],
    ['Frankfurt am Main', 60306, 60599, 8],
    ['Stuttgart', 70173, 70629, 6],
    ['Düsseldorf', 40210, 40629, 6],
    ['Leipzig', 4103, 4357, 6],
    ['Dortmund', 44135, 44388, 6],
    ['Essen', 45127, 45359, 6],
    ['Bremen', 28195, 28779, 6],
    ['Dresden', 1067, 1328, 6],
    ['Hannover', 30159, 30669, 5],
    ['Nürnberg', 90402, 90491, 5],
    ['Duisburg', 47051, 47279, 5],
    ['Bochum', 44787, 44894, 4],
    ['Wuppertal', 42103, 42399, 4],
    ['Bielefeld', 33602, 33739, 3],
    ['Bonn', 53111, 53229, 3],
    ['Münster', 48143, 48167, 3],
    ['Mannheim', 68159, 68309, 3],
    ['Karlsruhe', 76131, 76229, 3],
    ['Augsburg', 86150, 86199, 3],
    ['Wiesbaden', 65183, 65207, 3],
    ['Freiburg im Breisgau', 79098, 79117, 2],
    ['Kiel', 24103, 24159, 2],
    ['Lübeck', 23552, 23570, 2],
    ['Regensburg', 93047, 93059, 2],
    ['Würzburg', 97070, 97084, 2],
    ['Göttingen', 37073, 37085, 1],
    ['Jena', 7743, 7751, 1],
    ['Rostock', 18055, 18147, 2],
    ['Saarbrücken', 66111, 66133, 2],
    ['Erfurt', 99084, 99099, 2],
    ['Mainz', 55116, 55131, 2],
    ['Potsdam', 14467, 14482, 2],
    ['Heidelberg', 69115, 69126, 2],
    ['Oldenburg', 26121, 26135, 2],
    ['Osnabrück', 49074, 49090, 2],
    ['Lörrach', 79539, 79541, 1],
  ],
  AT: [
    ['Wien', 1010, 1230, 20],
    ['Graz', 8010, 8055, 3],
    ['Linz', 4020, 4040, 2],
    ['Salzburg', 5020, 5026, 2],
    ['Innsbruck', 6020, 6080, 1],
    ['Klagenfurt am Wörthersee', 9020, 9073, 1],
    ['Villach', 9500, 9524, 1],
    ['Wels', 4600, 4600, 1],
    ['St. Pölten', 3100, 3151, 1],
    ['Dornbirn', 6850, 6850, 1],
    ['Steyr', 4400, 4400, 1],
    ['Feldkirch', 6800, 6800, 1],
    ['Bregenz', 6900, 6900, 1],
    ['Leoben', 8700, 8700, 1],
  ],
  CH: [
    ['Zürich', 8001, 8057, 8],
    ['Genève', 1201, 1209, 4],
    ['Basel', 4001, 4059, 3],
    ['Bern', 3001, 3027, 3],
    ['Lausanne', 1003, 1018, 3],
    ['Winterthur', 8400, 8411, 2],
    ['Luzern', 6003, 6015, 2],
    ['St. Gallen', 9000, 9016, 2],
    ['Lugano', 6900, 6917, 1],
    ['Biel/Bienne', 2500, 2505, 1],
    ['Thun', 3600, 3645, 1],
    ['Zug', 6300, 6304, 1],
    ['Chur', 7000, 7007, 1],
    ['Schaffhausen', 8200, 8208, 1],
  ],
};

const weighted = Object.fromEntries(
  Object.entries(cities).map(([country, rows]) => [
    country,
    rows.map((row) => [row, row[3]] as const),
  ]),
) as Record<keyof typeof cities, (readonly [CityRow, number])[]>;

/** A real city and a postal code in its range, or null outside DACH (faker's places are used there). */
export function dachCity(
  rng: SeededRandom,
  country: string,
): { city: string; postalCode: string } | null {
  if (country !== 'DE' && country !== 'AT' && country !== 'CH') return null;
  const [city, first, last] = rng.weighted(weighted[country]);
  return { city, postalCode: String(rng.int(first, last)).padStart(country === 'DE' ? 5 : 4, '0') };
}
