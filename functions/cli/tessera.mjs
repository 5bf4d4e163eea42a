#!/usr/bin/env node
// The `tessera` launcher behind `npx tessera`: lets Node load the TypeScript CLI through tsx (a dev
// dependency of this repository), then hands it this process's arguments, environment and streams.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
