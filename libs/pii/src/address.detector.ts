import { type PiiCandidate, PRIORITY } from './pii.types';

// Street addresses, where the shape is reliable:
//   - English: house number + 1-4 capitalised name words + street suffix (`221B Baker Street`,
//     `1600 Pennsylvania Avenue NW`, `350 5th Ave`, `10 Downing St`), optional unit (`Apt 4B`, `Suite 200`);
//   - German: compound or separate street word + house number (`Hauptstraße 12`, `Berliner Str. 5a`,
//     `Unter den Eichen Weg`-style names are not covered). The weak suffixes `-weg`, `-platz`, `-ufer`
//     (also `Arbeitsplatz 2`, `Lösungsweg 3`) need a postal code after them or an address word before;
//   - French: number + `rue`/`avenue`/`boulevard`/… + name (`12 rue de la Paix`);
//   - Spanish: `Calle`/`Avenida`/`Paseo` + name + number (`Calle de Alcalá 42`).
// A match may continue with a postal tail, which becomes part of the span: `, Springfield, IL 62704`
// (US ZIP/ZIP+4), `, London NW1 6XE` (UK postcode), `, 10115 Berlin` / `, 75002 Paris` (4-5 digit
// code + city). A bare postal code or number is never an address. All quantifiers are bounded.

const SP = '[ \\u00a0]';
const HOUSE_NUMBER = '\\d{1,5}(?:[A-Za-z](?![\\p{L}]))?(?:[-–]\\d{1,5})?';
const NAME_WORD = "(?:\\p{Lu}[\\p{L}'’.-]{0,24}|\\d{1,3}(?:st|nd|rd|th))";
const EN_SUFFIX =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Crescent|Close|Gardens|Mews|Grove';
const DIRECTION = `(?:${SP}(?:N|S|E|W|NE|NW|SE|SW)(?![\\p{L}\\p{N}]))?`;
const UNIT = `(?:,?${SP}(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\\.?${SP}?#?[A-Za-z0-9-]{1,6}(?![\\p{L}\\p{N}]))?`;
const EN_STREET = new RegExp(
  `(?<![\\p{L}\\p{N}_.,/-])${HOUSE_NUMBER}${SP}{1,2}(?<name>(?:${NAME_WORD}${SP}){1,4})(?:${EN_SUFFIX})(?![\\p{L}\\p{N}])\\.?${DIRECTION}${UNIT}`,
  'gu',
);
// Headline words that make "10 Best Way …" look like an address.
const EN_STOP_WORDS = new Set([
  'best',
  'easy',
  'simple',
  'quick',
  'top',
  'great',
  'good',
  'better',
  'key',
  'smart',
  'proven',
  'common',
  'more',
  'other',
  'different',
  'fast',
  'free',
  'essential',
  'powerful',
  'surprising',
]);

const COPYRIGHT_BEFORE = /(?:\(c\)|©|copyright)[ \u00a0]*$/i;

const DE_STRONG = 'straße|strasse|str\\.|allee|gasse|damm|chaussee';
const DE_WEAK = 'weg|platz|ufer';
const DE_SEPARATE = 'Straße|Strasse|Str\\.|Allee|Gasse|Damm|Chaussee|Weg|Platz|Ufer';
const DE_STREET = new RegExp(
  `(?<![\\p{L}\\p{N}_])(?:\\p{Lu}[\\p{L}-]{0,30}?(?:${DE_STRONG})|\\p{Lu}[\\p{L}-]{0,30}?(?<weak>${DE_WEAK})|\\p{Lu}\\p{L}{1,30}[ -](?:${DE_SEPARATE}))${SP}{1,2}\\d{1,4}(?:[a-z](?![\\p{L}]))?(?:[-/]\\d{1,4})?(?![\\p{L}\\p{N}])`,
  'gu',
);
const DE_ADDRESS_WORD = /(?:adresse|anschrift|wohnhaft|wohnt|address|lives at|located at)[^\n]{0,40}$/iu;

const FR_TYPE = ['rue', 'avenue', 'av\\.', 'boulevard', 'bd', 'place', 'allée', 'allee', 'chemin', 'impasse', 'quai', 'cours', 'route']
  .flatMap((w) => [w, w.charAt(0).toUpperCase() + w.slice(1)])
  .join('|');
const FR_PARTICLE = "(?:de[ ]la|de[ ]l['’]|du|des|de|d['’]|la|le|les|l['’])";
const FR_STREET = new RegExp(
  `(?<![\\p{L}\\p{N}_])\\d{1,4}(?:${SP}?(?:bis|ter))?,?${SP}(?:${FR_TYPE})${SP}(?:${FR_PARTICLE}${SP}?)?\\p{Lu}[\\p{L}'’-]{1,30}(?:${SP}(?:${FR_PARTICLE}${SP}?)?\\p{Lu}[\\p{L}'’-]{1,30}){0,3}`,
  'gu',
);

const ES_STREET = new RegExp(
  `(?<![\\p{L}\\p{N}_])(?:Calle|C/|Avenida|Avda\\.|Paseo)${SP}(?:(?:de${SP}la|de${SP}los|de${SP}las|del|de)${SP})?\\p{Lu}[\\p{L}-]{1,30}(?:${SP}\\p{Lu}[\\p{L}-]{1,30}){0,2},?${SP}(?:n[º°o]\\.?${SP}?)?\\d{1,4}(?![\\p{L}\\p{N}])`,
  'gu',
);

const CITY = "\\p{Lu}[\\p{L}'’-]{1,24}(?:[ -]\\p{Lu}[\\p{L}'’-]{1,24}){0,2}";
const US_TAIL = `,?${SP}${CITY},?${SP}[A-Z]{2}${SP}\\d{5}(?:-\\d{4})?(?![\\p{L}\\p{N}])`;
const STATE_ZIP_TAIL = `,${SP}[A-Z]{2}${SP}\\d{5}(?:-\\d{4})?(?![\\p{L}\\p{N}])`;
const UK_TAIL = `,?${SP}(?:${CITY},?${SP})?[A-Z]{1,2}\\d[A-Z\\d]?${SP}\\d[A-Z]{2}(?![\\p{L}\\p{N}])`;
const EU_TAIL = `,?${SP}(?:(?:D-|DE-|F-|FR-|E-|ES-|I-|IT-)?\\d{5}|(?:A|AT|CH|B|BE|L|LU|NL|DK)-\\d{4})${SP}${CITY}`;
const TAIL = new RegExp(`(?:${US_TAIL}|${STATE_ZIP_TAIL}|${UK_TAIL}|${EU_TAIL})`, 'uy');

/** End of the postal tail that follows a street at `end`, or `end` when there is none. */
function tailEnd(text: string, end: number): number {
  TAIL.lastIndex = end;
  const m = TAIL.exec(text);
  return m === null ? end : end + m[0].length;
}

export function detectAddresses(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  const push = (start: number, end: number): void => {
    out.push({ type: 'ADDRESS', start, end: tailEnd(text, end), priority: PRIORITY.ADDRESS });
  };

  EN_STREET.lastIndex = 0;
  for (let m = EN_STREET.exec(text); m !== null; m = EN_STREET.exec(text)) {
    const firstWord =
      (m.groups?.['name'] ?? '')
        .trim()
        .split(/[ \u00a0]/)[0]
        ?.toLowerCase() ?? '';
    if (EN_STOP_WORDS.has(firstWord)) continue;
    if (COPYRIGHT_BEFORE.test(text.slice(Math.max(0, m.index - 16), m.index))) continue; // "(c) 2013 Gary Court"
    let end = m.index + m[0].length;
    // Keep the dot of an abbreviation ("St.") only when an address tail follows it.
    if (text[end - 1] === '.' && tailEnd(text, end) === end) end--;
    push(m.index, end);
  }

  DE_STREET.lastIndex = 0;
  for (let m = DE_STREET.exec(text); m !== null; m = DE_STREET.exec(text)) {
    const end = m.index + m[0].length;
    if (m.groups?.['weak'] !== undefined && tailEnd(text, end) === end) {
      if (!DE_ADDRESS_WORD.test(text.slice(Math.max(0, m.index - 60), m.index))) continue;
    }
    push(m.index, end);
  }

  for (const re of [FR_STREET, ES_STREET]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) push(m.index, m.index + m[0].length);
  }
  return out;
}
