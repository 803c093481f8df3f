import { tokenCommand } from './token.command.js';

// Entry of `npm run token` (see token.command.ts and `npm run token -- --help`).
process.exitCode = await tokenCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
