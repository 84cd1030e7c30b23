#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm run build` (run by npm start/test).
import('../dist/adapters/cli/main.js').catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
