/**
 * The words real service teams write: ticket subjects, call reasons, notes,
 * e-mail subjects, survey comments, campaigns. German first, because the
 * agents searching for "Rechnung falsch" are German-speaking.
 */

export interface TicketTopic {
  subject: string;
  category: string;
  /** Which part of the relationship it needs: orders, contracts or nothing in particular. */
  needs: 'order' | 'contract' | 'any';
  complaintProbability: number;
  description: string;
  callReason: string;
}

export const ticketTopics: readonly TicketTopic[] = [
  {
    subject: 'Paket nicht angekommen',
    category: 'Lieferung',
    needs: 'order',
    complaintProbability: 0.35,
    description:
      'Laut Sendungsverfolgung zugestellt, Paket ist aber nicht da. Nachbarn gefragt, nichts gefunden.',
    callReason: 'Lieferstatus',
  },
  {
    subject: 'Lieferung verspätet',
    category: 'Lieferung',
    needs: 'order',
    complaintProbability: 0.2,
    description: 'Die Bestellung sollte längst da sein. Wann kommt sie?',
    callReason: 'Lieferstatus',
  },
  {
    subject: 'Falscher Artikel geliefert',
    category: 'Reklamation',
    needs: 'order',
    complaintProbability: 0.6,
    description: 'Im Paket war ein anderer Artikel als bestellt.',
    callReason: 'Reklamation',
  },
  {
    subject: 'Artikel defekt',
    category: 'Reklamation',
    needs: 'order',
    complaintProbability: 0.7,
    description: 'Gerät lässt sich nicht einschalten, bitte Austausch.',
    callReason: 'Reklamation',
  },
  {
    subject: 'Rücksendung und Erstattung',
    category: 'Retoure',
    needs: 'order',
    complaintProbability: 0.1,
    description: 'Ich habe den Artikel zurückgeschickt, wann bekomme ich mein Geld?',
    callReason: 'Retoure',
  },
  {
    subject: 'Lieferadresse ändern',
    category: 'Lieferung',
    needs: 'order',
    complaintProbability: 0,
    description: 'Bitte an die neue Adresse liefern.',
    callReason: 'Adressänderung',
  },
  {
    subject: 'Rechnung falsch',
    category: 'Rechnung',
    needs: 'any',
    complaintProbability: 0.4,
    description: 'Der Betrag auf der Rechnung stimmt nicht mit der Bestellung überein.',
    callReason: 'Rechnung',
  },
  {
    subject: 'Doppelte Abbuchung',
    category: 'Rechnung',
    needs: 'any',
    complaintProbability: 0.5,
    description: 'Der Betrag wurde zweimal von meinem Konto abgebucht.',
    callReason: 'Rechnung',
  },
  {
    subject: 'Gutschrift fehlt',
    category: 'Rechnung',
    needs: 'any',
    complaintProbability: 0.3,
    description: 'Die zugesagte Gutschrift ist nicht angekommen.',
    callReason: 'Rechnung',
  },
  {
    subject: 'Passwort zurücksetzen',
    category: 'Konto',
    needs: 'any',
    complaintProbability: 0,
    description: 'Ich komme nicht mehr in mein Kundenkonto.',
    callReason: 'Konto',
  },
  {
    subject: 'Adressänderung',
    category: 'Stammdaten',
    needs: 'any',
    complaintProbability: 0,
    description: 'Wir sind umgezogen, bitte Adresse aktualisieren.',
    callReason: 'Adressänderung',
  },
  {
    subject: 'Newsletter abbestellen',
    category: 'Marketing',
    needs: 'any',
    complaintProbability: 0.05,
    description: 'Bitte keine Werbung mehr per E-Mail.',
    callReason: 'Werbung',
  },
  {
    subject: 'Vertrag kündigen',
    category: 'Vertrag',
    needs: 'contract',
    complaintProbability: 0.15,
    description: 'Hiermit kündige ich meinen Vertrag zum nächstmöglichen Zeitpunkt.',
    callReason: 'Kündigung',
  },
  {
    subject: 'Tarifwechsel gewünscht',
    category: 'Vertrag',
    needs: 'contract',
    complaintProbability: 0,
    description: 'Gibt es einen günstigeren Tarif für mich?',
    callReason: 'Tarifberatung',
  },
  {
    subject: 'Störung Internet',
    category: 'Technik',
    needs: 'contract',
    complaintProbability: 0.45,
    description: 'Seit gestern kein Internet, Router blinkt rot.',
    callReason: 'Technische Störung',
  },
  {
    subject: 'Schadensmeldung',
    category: 'Schaden',
    needs: 'contract',
    complaintProbability: 0.05,
    description: 'Fahrrad aus dem Keller gestohlen, Anzeige liegt vor.',
    callReason: 'Schadensmeldung',
  },
  {
    subject: 'Abschlag zu hoch',
    category: 'Rechnung',
    needs: 'contract',
    complaintProbability: 0.35,
    description: 'Der monatliche Abschlag wurde ohne Erklärung erhöht.',
    callReason: 'Rechnung',
  },
];

export const callReasons: readonly string[] = [
  'Lieferstatus',
  'Rechnung',
  'Kündigung',
  'Tarifberatung',
  'Technische Störung',
  'Adressänderung',
  'Reklamation',
  'Produktberatung',
  'Konto',
];
export const inboundOutcomes: readonly (readonly [string, number])[] = [
  ['gelöst', 55],
  ['Ticket erstellt', 15],
  ['Rückruf vereinbart', 12],
  ['weitergeleitet', 10],
  ['Angebot gesendet', 8],
];
export const outboundOutcomes: readonly (readonly [string, number])[] = [
  ['erreicht', 50],
  ['nicht erreicht', 30],
  ['Mailbox', 15],
  ['Angebot gesendet', 5],
];

/** Service agents as they sign notes and calls. */
export const agents: readonly string[] = [
  'Sabine Krause',
  'Mehmet Yılmaz',
  'Julia Neumann',
  'Thomas Berger',
  'Lena Hofer',
  'Marco Rossi',
  'Katarzyna Nowak',
  'Stefan Gruber',
  'Nicole Wagner',
  'Daniel Brunner',
  'Aylin Demir',
  'Florian Huber',
  'Claudia Meier',
  'Jonas Keller',
  'Petra Schulze',
  'Luca Steiner',
];

export const pinnedNotes: readonly string[] = [
  'Lieferung nur an Standort B',
  'Lieferung nur an Standort B (Wareneingang Tor 3), nie an die Zentrale',
  'Kunde wünscht keine Anrufe vor 10 Uhr',
  'Rechnungen bitte ausschließlich per E-Mail',
  'Kulanz: 10 € Gutschrift für nächste Bestellung zugesagt',
  'Hörgeschädigt – bitte nur schriftlich kontaktieren',
  'Ansprechpartner Einkauf: Frau Weiß, Durchwahl -214',
  'Keine Werbeanrufe – Beschwerde bei Verbraucherzentrale angedroht',
  'Zahlung nur auf Rechnung, Lastschrift widerrufen',
  'Bei Abwesenheit Paket beim Nachbarn (Hausnr. 6) abgeben',
];

export const plainNotes: readonly string[] = [
  'Rückruf vereinbart, Kunde war unterwegs',
  'Interesse an Glasfaser 500 – Angebot nachfassen',
  'Beschwerde über Lieferzeit aufgenommen',
  'Adresse telefonisch bestätigt',
  'Kunde vergleicht Angebote, Preis ist entscheidend',
  'Möchte Treuerabatt, an Teamleitung weitergegeben',
  'Hat nach Ratenzahlung gefragt',
  'Sehr zufrieden mit Beratung im Store',
  'Bankverbindung geändert',
  'Kündigungsabsicht geäußert, Rückgewinnungsangebot gemacht',
];

export const appointmentSubjects: readonly string[] = [
  'Beratungstermin Glasfaser',
  'Techniker-Termin Anschluss',
  'Rückruf Tarifberatung',
  'Vertragsverlängerung besprechen',
  'Schadensbesichtigung',
  'Jahresgespräch Geschäftskunde',
];

/** Subject and first line of e-mails, as pairs so that what a preview shows makes sense. */
export const inboundMails: readonly (readonly [string, string])[] = [
  [
    'Frage zu meiner Bestellung',
    'Guten Tag, ich habe eine Frage zu meiner letzten Bestellung: Kann ich noch einen Artikel ergänzen?',
  ],
  [
    'Wo bleibt mein Paket?',
    'Sehr geehrte Damen und Herren, leider ist meine Bestellung noch nicht angekommen …',
  ],
  ['Rechnung', 'Hallo, könnten Sie mir bitte die Rechnung noch einmal zuschicken?'],
  ['Kündigung', 'Hiermit kündige ich fristgerecht zum nächstmöglichen Termin.'],
  [
    'Änderung meiner Daten',
    'Bitte ändern Sie meine Bankverbindung, die neue IBAN finden Sie anbei.',
  ],
  ['Rückfrage zu Ihrem Angebot', 'Gilt das Angebot auch für Bestandskunden?'],
  ['Beschwerde', 'Ich bin mit der Bearbeitung meines Anliegens sehr unzufrieden.'],
  ['Bitte um Rückruf', 'Bitte rufen Sie mich zurück, ich bin ab 14 Uhr erreichbar.'],
];
export const outboundMails: readonly (readonly [string, string])[] = [
  ['Ihre Rechnung', 'Guten Tag, anbei erhalten Sie Ihre aktuelle Rechnung als PDF.'],
  [
    'Ihr persönliches Angebot',
    'Liebe Kundin, lieber Kunde, wir haben ein exklusives Angebot für Sie …',
  ],
  ['Bestätigung Ihrer Kündigung', 'Wir bestätigen hiermit den Eingang Ihrer Kündigung.'],
  [
    'Antwort auf Ihre Anfrage',
    'Vielen Dank für Ihre Nachricht. Wir haben Ihr Anliegen an die Fachabteilung weitergeleitet.',
  ],
  [
    'Ihre Zugangsdaten',
    'Ihr Kundenkonto wurde eingerichtet. Hier können Sie Ihr Passwort festlegen.',
  ],
  [
    'Terminbestätigung',
    'Hiermit bestätigen wir Ihren Termin. Bitte halten Sie Ihre Kundennummer bereit.',
  ],
];

export const surveyComments: Record<'bad' | 'neutral' | 'good', readonly string[]> = {
  bad: [
    'Lieferung dauerte viel zu lange.',
    'Niemand hat zurückgerufen.',
    'Rechnung wieder falsch, sehr ärgerlich.',
    'Hotline ständig besetzt.',
    'Paket nie angekommen, kein Ersatz.',
  ],
  neutral: [
    'Ganz okay, Preise könnten besser sein.',
    'Lieferung in Ordnung.',
    'Beratung war freundlich, aber langsam.',
  ],
  good: [
    'Super schnelle Lieferung!',
    'Sehr kompetente Beratung am Telefon.',
    'Alles bestens, gerne wieder.',
    'Problem wurde sofort gelöst, danke!',
    'Top Service.',
  ],
};

export interface DemoCampaign {
  campaignId: string;
  campaignName: string;
  channel: 'email' | 'sms' | 'push' | 'post' | 'ads';
  /** When it went out, in ms since the epoch. */
  sentAt: number;
}

const campaignThemes: readonly [string, string][] = [
  ['FRUEHJAHR', 'Frühjahrs-Sale'],
  ['SOMMER', 'Sommer-Angebote'],
  ['BTS', 'Back to School'],
  ['HERBST', 'Herbst-Aktion'],
  ['BLACKFRIDAY', 'Black Friday Week'],
  ['XMAS', 'Weihnachtsgeschenke'],
  ['NEUJAHR', 'Neujahrs-Rabatt'],
  ['TARIF', 'Tarif-Upgrade'],
];

/**
 * Campaigns of the last three years, every ~4.5 months, newest last. They
 * depend on `now` so that a demo generated today has a campaign this season.
 */
export function campaignsBefore(now: number): DemoCampaign[] {
  const day = 86_400_000;
  const campaigns: DemoCampaign[] = [];
  for (let k = 7; k >= 0; k--) {
    const sentAt = now - (k * 137 + 9) * day;
    const date = new Date(sentAt);
    const [code, name] = campaignThemes[(date.getUTCMonth() + k) % campaignThemes.length];
    const channel: DemoCampaign['channel'] = k % 4 === 3 ? 'post' : 'email';
    campaigns.push({
      campaignId: `CMP-${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${code}`,
      campaignName: `${name} ${date.getUTCFullYear()}`,
      channel,
      sentAt,
    });
  }
  return campaigns;
}
