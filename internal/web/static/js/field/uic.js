// Cầu Nối — the unique identifier code (UIC), made on the phone exactly as
// the server makes it (uic.go), so that a client registered offline gets
// the same code as on the form. The facts it is made from are never kept.

// fold lower-cases and drops Vietnamese diacritics, Đ counting as D, as
// caunoi.Fold does.
export function fold(s) {
  return String(s ?? '').trim().normalize('NFD').replace(/\p{Mn}/gu, '')
    .replace(/[đĐ]/g, 'd').toLowerCase();
}

// givenName is the last word of a Vietnamese full name that has a letter.
export function givenName(full) {
  const words = String(full ?? '').split(/\s+/).filter(Boolean);
  for (let i = words.length - 1; i >= 0; i--) {
    if (/\p{L}/u.test(words[i])) return words[i];
  }
  return '';
}

// nameLetters returns the letters A–Z of a name's given name, in capitals.
function nameLetters(full) {
  let out = '';
  for (const ch of fold(givenName(full))) {
    if (ch >= 'a' && ch <= 'z') out += ch.toUpperCase();
    else if (ch === 'ð') out += 'D'; // Ð typed for Đ
  }
  return out;
}

const SEX_LETTER = { female: 'F', male: 'M', other: 'O' };
const FACT = { M: 'mother_name', F: 'father_name', N: 'own_name' };

// makeUIC returns { uic, missing }: the code of the facts under the
// formula (such as "M2F2Y4S1"), or null with the names of the facts that
// are missing or wrong.
export function makeUIC(formula, facts) {
  let uic = '';
  const missing = [];
  for (let i = 0; i + 1 < formula.length; i += 2) {
    const kind = formula[i];
    const n = Number(formula[i + 1]);
    if (FACT[kind]) {
      const letters = nameLetters(facts[FACT[kind]]).slice(0, n);
      if (!letters) missing.push(FACT[kind]);
      else uic += letters + 'X'.repeat(n - letters.length);
    } else if (kind === 'Y') {
      const y = Number(facts.birth_year);
      if (!Number.isInteger(y) || y < 1900 || y > 9999) missing.push('birth_year');
      else uic += n === 2 ? String(y % 100).padStart(2, '0') : String(y).padStart(4, '0');
    } else if (kind === 'S') {
      const letter = SEX_LETTER[String(facts.sex ?? '').trim()];
      if (!letter) missing.push('sex');
      else uic += letter;
    }
  }
  return missing.length ? { uic: null, missing } : { uic, missing };
}
