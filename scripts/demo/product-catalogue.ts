/**
 * What the demo shop sells and which contracts the demo billing system
 * knows. Small on purpose: facets, "favourite categories" and "has product A
 * but not B" only look meaningful when products repeat across customers.
 */

export interface CatalogueProduct {
  sku: string;
  name: string;
  category: string;
  /** Price in EUR; CHF orders use the same figure (close enough for a demo). */
  price: number;
}

const rows: [string, string, number][] = [
  // Elektronik
  ['EL-1001', 'Bluetooth-Kopfhörer ANC', 129.99],
  ['EL-1002', 'USB-C Ladegerät 65 W', 39.99],
  ['EL-1003', 'Smartphone Galaxy A55', 379.0],
  ['EL-1004', 'Powerbank 20000 mAh', 34.95],
  ['EL-1005', 'Smartwatch Fit 3', 199.0],
  ['EL-1006', '4K-Fernseher 55 Zoll', 649.0],
  ['EL-1007', 'WLAN-Mesh-Set', 219.0],
  // Haushalt
  ['HH-2001', 'Kaffeevollautomat Barista', 549.0],
  ['HH-2002', 'Wasserkocher Edelstahl', 44.99],
  ['HH-2003', 'Akku-Staubsauger', 279.0],
  ['HH-2004', 'Toaster 2-Schlitz', 29.99],
  ['HH-2005', 'Pfannenset 3-teilig', 89.0],
  ['HH-2006', 'Bettwäsche Satin 155x220', 59.95],
  // Mode
  ['MO-3001', 'Winterjacke Daunen', 189.0],
  ['MO-3002', 'Jeans Slim Fit', 69.95],
  ['MO-3003', 'T-Shirt Basic 3er-Pack', 24.99],
  ['MO-3004', 'Strickpullover Merino', 79.0],
  ['MO-3005', 'Regenjacke', 99.0],
  ['MO-3006', 'Ledergürtel', 34.9],
  // Schuhe
  ['SH-4001', 'Laufschuh Air Zoom', 129.95],
  ['SH-4002', 'Sneaker Classic', 89.95],
  ['SH-4003', 'Wanderstiefel GTX', 169.0],
  ['SH-4004', 'Hausschuhe Filz', 29.95],
  ['SH-4005', 'Chelsea Boots', 119.0],
  // Sport
  ['SP-5001', 'Yogamatte', 29.99],
  ['SP-5002', 'Kurzhantel-Set 20 kg', 79.99],
  ['SP-5003', 'Fahrradhelm', 59.9],
  ['SP-5004', 'E-Bike Trekking', 2499.0],
  ['SP-5005', 'Trinkflasche 1 l', 19.95],
  ['SP-5006', 'Fitnesstracker Band', 49.0],
  // Garten
  ['GA-6001', 'Akku-Rasenmäher', 399.0],
  ['GA-6002', 'Gartenschlauch 25 m', 39.95],
  ['GA-6003', 'Hochbeet Lärche', 149.0],
  ['GA-6004', 'Gasgrill 3 Brenner', 449.0],
  ['GA-6005', 'Blumenerde 40 l', 9.99],
  ['GA-6006', 'Gartenstuhl klappbar', 49.0],
  // Spielzeug
  ['SZ-7001', 'Bausteine Feuerwehr', 59.99],
  ['SZ-7002', 'Puzzle 1000 Teile', 14.99],
  ['SZ-7003', 'Holzeisenbahn Starter', 44.95],
  ['SZ-7004', 'Plüschbär 40 cm', 24.95],
  ['SZ-7005', 'Brettspiel Siedler', 39.99],
  // Bücher & Medien
  ['BU-8001', 'Kochbuch Vegetarisch', 26.0],
  ['BU-8002', 'Roman Bestseller', 24.0],
  ['BU-8003', 'Reiseführer Alpen', 19.95],
  ['BU-8004', 'Kinderbuch Bilderbuch', 14.0],
  ['BU-8005', 'Hörbuch-Abo 3 Monate', 29.85],
  // Beauty & Drogerie
  ['BE-9001', 'Gesichtscreme Hyaluron', 24.95],
  ['BE-9002', 'Elektrische Zahnbürste', 89.99],
  ['BE-9003', 'Parfum Eau de Toilette 50 ml', 49.0],
  ['BE-9004', 'Haartrockner Ionic', 59.0],
  ['BE-9005', 'Rasierer Series 7', 179.0],
  ['BE-9006', 'Sonnencreme LSF 50', 12.95],
  // Möbel & Wohnen
  ['WO-1101', 'Schreibtisch höhenverstellbar', 429.0],
  ['WO-1102', 'Bürostuhl ergonomisch', 289.0],
  ['WO-1103', 'Stehlampe LED', 79.0],
  ['WO-1104', 'Regal Eiche 5 Böden', 159.0],
  ['WO-1105', 'Teppich 160x230', 139.0],
  ['WO-1106', 'Kissen 2er-Set', 29.9],
];

const categoryByPrefix: Record<string, string> = {
  EL: 'Elektronik',
  HH: 'Haushalt',
  MO: 'Mode',
  SH: 'Schuhe',
  SP: 'Sport',
  GA: 'Garten',
  SZ: 'Spielzeug',
  BU: 'Bücher & Medien',
  BE: 'Beauty & Drogerie',
  WO: 'Möbel & Wohnen',
};

export const catalogue: readonly CatalogueProduct[] = rows.map(([sku, name, price]) => ({
  sku,
  name,
  price,
  category: categoryByPrefix[sku.slice(0, 2)],
}));

export const categories: readonly string[] = Object.values(categoryByPrefix);

export const productsByCategory: ReadonlyMap<string, readonly CatalogueProduct[]> = new Map(
  categories.map((category) => [category, catalogue.filter((p) => p.category === category)]),
);

export interface ContractProduct {
  product: string;
  /** Telco, insurance or energy: drives which options and tickets make sense. */
  line: 'telco' | 'insurance' | 'energy';
  monthlyFee: number;
  options: readonly { name: string; monthlyFee: number }[];
  /** Minimum term before the yearly automatic renewal starts. */
  termMonths: number;
}

export const contractProducts: readonly ContractProduct[] = [
  {
    product: 'Mobil S',
    line: 'telco',
    monthlyFee: 14.99,
    termMonths: 24,
    options: [
      { name: 'EU-Roaming Plus', monthlyFee: 4.99 },
      { name: 'Multi-SIM', monthlyFee: 4.95 },
    ],
  },
  {
    product: 'Mobil M',
    line: 'telco',
    monthlyFee: 24.99,
    termMonths: 24,
    options: [
      { name: 'EU-Roaming Plus', monthlyFee: 4.99 },
      { name: 'Multi-SIM', monthlyFee: 4.95 },
      { name: 'Handy-Versicherung', monthlyFee: 7.99 },
    ],
  },
  {
    product: 'Mobil L',
    line: 'telco',
    monthlyFee: 34.99,
    termMonths: 24,
    options: [
      { name: 'Multi-SIM', monthlyFee: 4.95 },
      { name: 'Handy-Versicherung', monthlyFee: 7.99 },
      { name: 'Weltweit-Flat', monthlyFee: 9.99 },
    ],
  },
  {
    product: 'Mobil XL Unlimited',
    line: 'telco',
    monthlyFee: 54.99,
    termMonths: 24,
    options: [
      { name: 'Multi-SIM', monthlyFee: 0 },
      { name: 'Handy-Versicherung', monthlyFee: 7.99 },
    ],
  },
  {
    product: 'DSL 50',
    line: 'telco',
    monthlyFee: 29.99,
    termMonths: 24,
    options: [
      { name: 'Festnetz-Flat', monthlyFee: 5.0 },
      { name: 'TV Paket', monthlyFee: 10.0 },
    ],
  },
  {
    product: 'DSL 100',
    line: 'telco',
    monthlyFee: 39.99,
    termMonths: 24,
    options: [
      { name: 'Festnetz-Flat', monthlyFee: 5.0 },
      { name: 'TV Paket', monthlyFee: 10.0 },
      { name: 'Fritz!Box Miete', monthlyFee: 4.99 },
    ],
  },
  {
    product: 'Glasfaser 500',
    line: 'telco',
    monthlyFee: 59.99,
    termMonths: 24,
    options: [
      { name: 'TV Paket', monthlyFee: 10.0 },
      { name: 'Fritz!Box Miete', monthlyFee: 4.99 },
      { name: 'Statische IP', monthlyFee: 9.0 },
    ],
  },
  {
    product: 'Hausrat Plus',
    line: 'insurance',
    monthlyFee: 8.9,
    termMonths: 12,
    options: [
      { name: 'Fahrradschutz', monthlyFee: 2.5 },
      { name: 'Glasschutz', monthlyFee: 1.9 },
      { name: 'Elementarschaden', monthlyFee: 3.2 },
    ],
  },
  {
    product: 'Haftpflicht Basis',
    line: 'insurance',
    monthlyFee: 4.5,
    termMonths: 12,
    options: [
      { name: 'Schlüsselverlust', monthlyFee: 0.9 },
      { name: 'Ehrenamt', monthlyFee: 0.5 },
    ],
  },
  {
    product: 'Rechtsschutz Komfort',
    line: 'insurance',
    monthlyFee: 21.9,
    termMonths: 12,
    options: [{ name: 'Verkehrsrechtsschutz', monthlyFee: 6.0 }],
  },
  {
    product: 'Strom Öko 24',
    line: 'energy',
    monthlyFee: 79.0,
    termMonths: 24,
    options: [{ name: 'Preisgarantie', monthlyFee: 2.0 }],
  },
  {
    product: 'Gas Komfort',
    line: 'energy',
    monthlyFee: 92.0,
    termMonths: 12,
    options: [{ name: 'Wartungsservice Therme', monthlyFee: 9.9 }],
  },
];
