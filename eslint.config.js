// One ESLint config for the whole repo. The import rules hold the shape of
// the house (STYLE.md, docs/ARCHITECTURE.md): domain/ is pure and imports
// nothing of ours but domain/; infra/ (clients, names) sits below store/ (what
// every process does to the stored data); server, indexers and web never
// import each other, and mappings/ migrates through store/ alone.
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'web/dist/**', 'bench/results/**', '.data/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] }),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './domain',
              from: [
                './server',
                './indexers',
                './web',
                './infra',
                './store',
                './scripts',
                './mappings',
              ],
              message: 'domain/ is pure: it imports nothing but domain/.',
            },
            {
              target: './infra',
              from: ['./store', './server', './indexers', './web', './scripts', './bench'],
              message: 'infra/ holds clients and names: it imports only domain/.',
            },
            {
              target: './store',
              from: ['./server', './indexers', './web', './scripts', './bench'],
              message: 'store/ is shared by every process: it imports no process.',
            },
            {
              target: './web/src',
              from: ['./server', './indexers', './infra', './store', './mappings', './scripts'],
              message: 'the web talks to the server over HTTP only.',
            },
            {
              target: './indexers',
              from: ['./server', './web'],
              message: 'indexers do not depend on the API or the UI.',
            },
            {
              target: ['./server', './mappings'],
              from: ['./indexers'],
              message:
                'the API and the migrations do not import the indexers: what they share lives in store/.',
            },
            { target: './server', from: ['./web'], message: 'the server does not import UI code.' },
            {
              target: ['./bench', './scripts', './mappings'],
              from: ['./web'],
              message:
                'benchmarks and scripts take what the UI sends from domain/, never from a component.',
            },
          ],
        },
      ],
    },
  },
);
