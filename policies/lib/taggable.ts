// Whether a resource type takes tags (AWS) or labels (GCP), read from the installed provider SDK
// rather than a hand-kept list: every generated resource module assigns `resourceInputs["tags"] =
// args?.tags` when, and only when, the resource has a `tags` input. A user's resource that could carry
// tags but was given none is what the tag policies exist to catch, so they need to know this even
// when `tags` is absent from the props. One small file read per type, cached.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The pack runs with its own directory as the working directory; resolution walks up from there to
// the project's node_modules, as it does under jest from the project root.
const resolveFrom = createRequire(join(process.cwd(), 'package.json'));

const packageDirs = new Map<string, string | null>();
function packageDir(name: string): string | null {
  if (!packageDirs.has(name)) {
    let dir: string | null = null;
    try {
      dir = dirname(resolveFrom.resolve(`${name}/package.json`));
    } catch {
      dir = null;
    }
    packageDirs.set(name, dir);
  }
  return packageDirs.get(name) ?? null;
}

const listings = new Map<string, string[]>();
function listing(dir: string): string[] {
  let files = listings.get(dir);
  if (!files) {
    try {
      files = readdirSync(dir);
    } catch {
      files = [];
    }
    listings.set(dir, files);
  }
  return files;
}

/** The SDK's compiled module of a type token (`aws:rds/instance:Instance` -> aws/rds/instance.js). */
function moduleSource(packageName: string, token: string): string | undefined {
  const root = packageDir(packageName);
  const modulePath = token.split(':')[1];
  if (!root || !modulePath) return undefined;
  const [folder = '', file = ''] = modulePath.includes('/')
    ? modulePath.split('/')
    : ['index', modulePath];
  const dir = folder === 'index' ? root : join(root, folder);
  // File names differ from tokens in case only (token `iAMMember`, file `iammember.js`).
  const wanted = `${file}.js`.toLowerCase();
  const found = listing(dir).find((name) => name.toLowerCase() === wanted);
  if (!found) return undefined;
  try {
    return readFileSync(join(dir, found), 'utf8');
  } catch {
    return undefined;
  }
}

const answers = new Map<string, boolean | undefined>();

/**
 * Whether resources of `token` have the top-level input `field`; undefined when the provider SDK
 * is not installed where the pack runs or does not know the type.
 */
export function hasInput(packageName: string, token: string, field: string): boolean | undefined {
  const key = `${token}#${field}`;
  if (!answers.has(key)) {
    const source = moduleSource(packageName, token);
    answers.set(
      key,
      source === undefined
        ? undefined
        : source.includes(`resourceInputs["${field}"] = args?.${field}`),
    );
  }
  return answers.get(key);
}
