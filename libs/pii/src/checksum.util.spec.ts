import { isCardNumber } from './card.detector';
import { ibanChecksumValid, luhnValid } from './checksum.util';
import { isIban } from './iban.detector';

describe('luhnValid', () => {
  it('accepts published test card numbers and rejects single-digit changes', () => {
    for (const pan of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '30569309025904']) {
      expect(luhnValid(pan)).toBe(true);
      const last = Number(pan.slice(-1));
      expect(luhnValid(pan.slice(0, -1) + String((last + 1) % 10))).toBe(false);
    }
  });

  it('rejects empty and non-digit input', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111 1111 1111 1111')).toBe(false);
  });
});

describe('isCardNumber', () => {
  it('needs a plausible issuer prefix for the length', () => {
    expect(isCardNumber('4111111111111111')).toBe(true); // Visa 16
    expect(isCardNumber('4222222222222')).toBe(true); // Visa 13
    expect(isCardNumber('490154203237518')).toBe(false); // Luhn-valid IMEI: Visa has no 15-digit numbers
    expect(isCardNumber('1111111111111117')).toBe(false); // issuer 1 does not exist
    expect(isCardNumber('2223003122003222')).toBe(true); // Mastercard 2-series
  });
});

const LONG_DE = 'DE543704004405320130001';

describe('IBAN checksum', () => {
  it('accepts registry examples and rejects a changed digit', () => {
    for (const iban of ['DE89370400440532013000', 'GB29NWBK60161331926819', 'FR1420041010050500013M02606', 'NO9386011117947']) {
      expect(ibanChecksumValid(iban)).toBe(true);
      expect(isIban(iban)).toBe(true);
    }
    expect(ibanChecksumValid('DE89370400440532013001')).toBe(false);
  });

  it('checks the country length where the registry knows it', () => {
    // Valid checksum, but 23 characters where Germany uses 22.
    expect(ibanChecksumValid(LONG_DE)).toBe(true);
    expect(isIban(LONG_DE)).toBe(false);
    expect(isIban('DE02120300000000202051')).toBe(true);
  });
});
