import { detectAddresses } from './address.detector';
import { detectDatesOfBirth } from './dob.detector';
import { detectEmails } from './email.detector';
import { isCountryCode } from './phone.detector';
import { detectPhones } from './phone.detector';
import { isIPv4, isNonIdentifyingIPv4, parseIPv6 } from './ip.detector';
import { detectSecrets, isHighEntropyToken } from './secret.detector';
import { detectSsns } from './ssn.detector';
import type { PiiCandidate } from './pii.types';

const spans = (text: string, detector: (t: string) => PiiCandidate[]): string[] => detector(text).map((m) => text.slice(m.start, m.end));

describe('email', () => {
  it('trims sentence punctuation and respects the RFC length limits', () => {
    expect(spans('write to a.b@example.com.', detectEmails)).toEqual(['a.b@example.com']);
    expect(spans(`${'x'.repeat(65)}@example.com`, detectEmails)).toEqual([]);
    expect(spans(`x@${'a'.repeat(250)}.com`, detectEmails)).toEqual([]);
    expect(spans('a..b@example.com', detectEmails)).toEqual([]);
  });
});

describe('phone', () => {
  it('knows ITU country codes', () => {
    expect(['1', '7', '44', '49', '353', '971'].every(isCountryCode)).toBe(true);
    expect(['0', '28', '80', '1234', ''].some(isCountryCode)).toBe(false);
  });

  it('needs ten national digits after +1 and rejects unknown country codes', () => {
    expect(spans('+1 415 555 2671', detectPhones)).toEqual(['+1 415 555 2671']);
    expect(spans('+1 415 555 26711', detectPhones)).toEqual([]);
    expect(spans('+28 123 456 789', detectPhones)).toEqual([]);
  });

  it('rejects dates, versions, ZIP+4 and bare digit runs', () => {
    for (const text of ['15.01.2024', '2024-01-15', '1.2.3.4', '02134-1234', '5551234567', '0-306-40615-2']) {
      expect(spans(text, detectPhones)).toEqual([]);
    }
  });
});

describe('ip', () => {
  it('validates IPv4 and IPv6 forms', () => {
    expect(isIPv4('255.255.255.255')).toBe(true);
    expect(isIPv4('256.1.1.1')).toBe(false);
    expect(isIPv4('01.2.3.4')).toBe(false);
    expect(parseIPv6('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('::ffff:192.0.2.128')).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0280]);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIPv6('1::2::3')).toBeUndefined();
    expect(parseIPv6('12:30:45')).toBeUndefined();
  });

  it('does not report loopback, unspecified, broadcast or netmask addresses', () => {
    expect(['127.0.0.1', '0.0.0.0', '255.255.255.255', '255.255.240.0'].every(isNonIdentifyingIPv4)).toBe(true);
    expect(['10.0.0.1', '255.255.255.254', '255.0.255.0', '8.8.8.8'].filter(isNonIdentifyingIPv4)).toEqual(['255.255.255.254']);
  });
});

describe('ssn', () => {
  it('accepts the spaced form and plain nine digits only after an SSN label', () => {
    expect(spans('SSN 536 22 8726', detectSsns)).toEqual(['536 22 8726']);
    expect(spans('Lot 536 22 8726', detectSsns)).toEqual([]);
    expect(spans('SSN: 536228726', detectSsns)).toEqual(['536228726']);
    expect(spans('ID: 536228726', detectSsns)).toEqual([]);
  });
});

describe('date of birth', () => {
  it('needs a birth word at most 30 characters before the date', () => {
    expect(spans('born 12.04.1990', detectDatesOfBirth)).toEqual(['12.04.1990']);
    expect(spans(`born ${'x'.repeat(31)} 12.04.1990`, detectDatesOfBirth)).toEqual([]);
    expect(spans('12.04.1990 (born)', detectDatesOfBirth)).toEqual([]);
  });

  it('validates the calendar, both day-first and month-first', () => {
    expect(spans('DOB 13/12/1990', detectDatesOfBirth)).toEqual(['13/12/1990']);
    expect(spans('DOB 12/13/1990', detectDatesOfBirth)).toEqual(['12/13/1990']);
    expect(spans('DOB 29/02/1999', detectDatesOfBirth)).toEqual([]);
    expect(spans(`DOB ${new Date().getUTCFullYear() + 1}-01-01`, detectDatesOfBirth)).toEqual([]);
  });
});

describe('secret', () => {
  it('does not flag hex digests or UUIDs, by design', () => {
    const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
    const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(isHighEntropyToken(sha1)).toBe(false);
    expect(isHighEntropyToken(sha256)).toBe(false);
    expect(isHighEntropyToken(sha256.toUpperCase())).toBe(false);
    expect(isHighEntropyToken('123e4567-e89b-12d3-a456-426614174000')).toBe(false);
    // …but a hex value assigned to a credential name is still a secret.
    expect(spans(`api_key=${sha1}`, detectSecrets)).toEqual([sha1]);
  });

  it('flags random tokens but not identifiers, slugs or paths', () => {
    expect(isHighEntropyToken('Zx8Kq2Lm9Pw4Rt7Vb1Nc6Hd3Jf5Gs0Ya8Ue2Io4Wq')).toBe(true);
    expect(isHighEntropyToken('getUserAccountSettingsForTenant2024Version')).toBe(false);
    expect(isHighEntropyToken('my-long-article-title-about-data-pipelines-2024')).toBe(false);
    expect(isHighEntropyToken('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')).toBe(false);
  });

  it('skips generic tokens inside URLs and data URIs but keeps named URL credentials', () => {
    expect(spans('https://docs.example.com/d/1U1RGAehQwRypUTovF1KRlpiOFze0b2gc6fAH0KY0k/edit', detectSecrets)).toEqual([]);
    expect(
      spans(
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
        detectSecrets,
      ),
    ).toEqual([]);
    expect(spans('https://api.example.com/v1?token=Zx8Kq2Lm9Pw4Rt7V', detectSecrets)).toEqual(['Zx8Kq2Lm9Pw4Rt7V']);
  });

  it('covers a whole PEM block, and an unterminated one up to the end of its body', () => {
    const pem =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----';
    expect(spans(`key:\n${pem}\ndone`, detectSecrets)).toContain(pem);
    const cut = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7';
    expect(spans(`${cut}\n\n# next section`, detectSecrets)).toContain(cut);
  });

  it('ignores placeholders and code that merely names a credential', () => {
    for (const text of [
      'password: ********',
      'token: string',
      'api_key=YOUR_API_KEY',
      'secret=${SECRET}',
      'token = makeToken(user)',
      'apiKey: config.apiKey',
      'token: IGetToken<Value>',
    ]) {
      expect(spans(text, detectSecrets)).toEqual([]);
    }
    // …but a snake_case value is a value, not a variable name.
    expect(spans('password=super_secret_2024', detectSecrets)).toEqual(['super_secret_2024']);
    expect(spans('password=DB_PASSWORD', detectSecrets)).toEqual([]);
  });
});

describe('address', () => {
  it('includes a postal tail when one follows', () => {
    expect(spans('at 742 Evergreen Terrace, Springfield, IL 62704.', detectAddresses)).toEqual([
      '742 Evergreen Terrace, Springfield, IL 62704',
    ]);
    expect(spans('bei Hauptstraße 12, 10115 Berlin.', detectAddresses)).toEqual(['Hauptstraße 12, 10115 Berlin']);
    expect(spans('at 10 Downing St.', detectAddresses)).toEqual(['10 Downing St']);
  });

  it('needs a postal code or an address word for weak German suffixes', () => {
    expect(spans('Arbeitsplatz 2', detectAddresses)).toEqual([]);
    expect(spans('Marktplatz 3, 04109 Leipzig', detectAddresses)).toEqual(['Marktplatz 3, 04109 Leipzig']);
    expect(spans('Anschrift: Marktplatz 3', detectAddresses)).toEqual(['Marktplatz 3']);
  });

  it('ignores copyright lines and headline phrases', () => {
    expect(spans('Copyright (c) 2013 Gary Court', detectAddresses)).toEqual([]);
    expect(spans('10 Best Way to learn', detectAddresses)).toEqual([]);
  });
});
