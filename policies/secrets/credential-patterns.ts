// What a credential looks like in a plain value: by its variable or key name, a URL with a password
// in it, a private key, a cloud access key.

/** Names of variables and keys that hold credentials (PASSWORD, API_KEY, DB_TOKEN, secret-key...). */
const credentialName =
  /(^|[_.-])(pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth)($|[_.-])/i;
/** Names that only point at a credential (a file, a path, a Secret's name). */
const pointerName = /[_.-](file|path|dir|name|ref)$/i;

export function looksLikeCredentialName(name: string): boolean {
  return credentialName.test(name) && !pointerName.test(name);
}

const valuePatterns: [RegExp, string][] = [
  [/[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i, 'a URL with a password'],
  [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, 'a private key'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
];

/** What kind of credential a value holds, or undefined. */
export function credentialIn(value: string): string | undefined {
  return valuePatterns.find(([pattern]) => pattern.test(value))?.[1];
}
