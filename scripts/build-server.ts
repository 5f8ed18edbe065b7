/**
 * `npm run build:server`: the processes as plain JavaScript in dist/, so a
 * deployment runs `node dist/api.js` instead of compiling TypeScript at
 * every start (the Dockerfile; docker-compose.yml picks the command).
 *
 * Each entry is bundled by esbuild (platform node, ESM) rather than compiled
 * file by file with tsc: the sources import each other without extensions
 * (`moduleResolution: Bundler`) and import mappings/*.json, which Node's ESM
 * loader resolves neither of. Packages stay external — the image installs
 * node_modules — so bullmq's Lua scripts, pino's transports and
 * swagger-ui's assets are found where they always are. The JSON mappings
 * are inlined; config/ and web/dist are read at run time beside dist/.
 * Types are checked by `npm run check-types`, not here.
 */
import { build, type Plugin } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(import.meta.dirname, '..');
export const outDir = 'dist';

/** The processes (and the containers' health check) and the file each is built to, relative to the repository root. */
export const serverBundles = [
  { name: 'api', entry: 'server/src/main.ts', out: `${outDir}/api.js` },
  { name: 'indexer', entry: 'indexers/src/main.ts', out: `${outDir}/indexer.js` },
  { name: 'migrate', entry: 'mappings/apply.ts', out: `${outDir}/migrate.js` },
  { name: 'healthcheck', entry: 'scripts/healthcheck.ts', out: `${outDir}/healthcheck.js` },
] as const;

/**
 * Modules find files next to their source (`config/identity-rules.json`,
 * `web/dist`) from `import.meta.dirname`; in a bundle that is dist/. This
 * gives each module the directory it has in the source tree again, relative
 * to the bundle, so the paths hold wherever the checkout or image lives.
 * `import.meta.url` keeps naming the bundle, which is what "am I the entry"
 * checks (mappings/apply.ts) need; finding a file from it would silently
 * point into dist/, so the build refuses that.
 */
function sourceDirectories(): Plugin {
  return {
    name: 'source-directories',
    setup(b) {
      b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        let contents = await readFile(args.path, 'utf8');
        const errors = contents
          .split('\n')
          .filter((line) => line.includes('import.meta.url') && !line.includes('process.argv[1]'))
          .map((line) => ({
            text: `import.meta.url names the bundle, not ${path.relative(root, args.path)}: use import.meta.dirname to find files (${line.trim()})`,
          }));
        if (errors.length > 0) return { errors };
        const fromBundle = path
          .relative(path.join(root, outDir), path.dirname(args.path))
          .split(path.sep)
          .join('/');
        contents = contents.replaceAll(
          'import.meta.dirname',
          `(import.meta.dirname + ${JSON.stringify(`/${fromBundle}`)})`,
        );
        return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}

/** What a build made: each bundle and the packages it imports at run time (they must be `dependencies`). */
export interface BuiltBundle {
  name: (typeof serverBundles)[number]['name'];
  out: string;
  packages: string[];
}

export async function buildServer(): Promise<BuiltBundle[]> {
  await rm(path.join(root, outDir), { recursive: true, force: true });
  const built: BuiltBundle[] = [];
  for (const bundle of serverBundles) {
    const { metafile } = await build({
      absWorkingDir: root,
      entryPoints: [bundle.entry],
      outfile: bundle.out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      sourcemap: true,
      metafile: true,
      logLevel: 'warning',
      plugins: [sourceDirectories()],
    });
    const specifiers = metafile.outputs[bundle.out].imports
      .filter((i) => i.external && !i.path.startsWith('node:'))
      .map((i) => i.path);
    built.push({
      name: bundle.name,
      out: bundle.out,
      packages: [...new Set(specifiers.map(packageOf))].sort(),
    });
  }
  return built;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildServer().then(
    () => console.log(serverBundles.map((b) => `${b.entry} → ${b.out}`).join('\n')),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
