#!/usr/bin/env node
/**
 * `npx partner-center-emulator --port 4010 --scenario demo --seed 1 --state-file .emulator-state.json`
 * (`npm run emulator -- …` in this repository). Runs the Partner Center emulator alone (front-end
 * work, other projects' tests).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createEmulator, startEmulatorServer, type StateSnapshot } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.EMULATOR_PORT ?? '4010' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    scenario: { type: 'string', default: process.env.EMULATOR_SCENARIO ?? 'demo' },
    seed: { type: 'string', default: process.env.EMULATOR_SEED ?? '1' },
    clock: { type: 'string' },
    'state-file': { type: 'string' },
    'no-autopilot': { type: 'boolean', default: false },
    'verify-signature': { type: 'boolean', default: false },
    'control-token': { type: 'string', default: process.env.EMULATOR_CONTROL_TOKEN },
    'scenario-dir': { type: 'string', default: process.env.EMULATOR_SCENARIO_DIR },
    'max-body-bytes': { type: 'string', default: process.env.EMULATOR_MAX_BODY_BYTES },
    // Today's Partner Center: admin access through GDAP only (the API's GDAP=required sets it too).
    'require-gdap': {
      type: 'boolean',
      default: process.env.EMULATOR_REQUIRE_GDAP === '1' || process.env.GDAP === 'required',
    },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: partner-center-emulator [--port 4010] [--host 127.0.0.1] [--scenario demo|demo-today|empty|large|large:N|large-today[:N]|file.json]\n' +
      '                              [--seed 1] [--clock 2026-01-05T08:00:00Z] [--state-file f.json] [--no-autopilot]\n' +
      '                              [--control-token T] [--scenario-dir dir] [--max-body-bytes 16777216]\n' +
      '                              [--require-gdap]\n',
  );
  process.exit(0);
}

const maxBodyBytes = values['max-body-bytes'] ? Number(values['max-body-bytes']) : undefined;
if (maxBodyBytes !== undefined && (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1)) {
  process.stderr.write('--max-body-bytes must be a positive integer\n');
  process.exit(2);
}
const controlToken = values['control-token'] || undefined;

const emulator = createEmulator({
  scenario: values.scenario,
  seed: Number(values.seed),
  clock: values.clock ? { now: values.clock } : undefined,
  autopilot: values['no-autopilot'] ? { enabled: false } : undefined,
  auth: { verifySignature: values['verify-signature'] },
  controlToken,
  scenarioDir: values['scenario-dir'] || undefined,
});

const stateFile = values['state-file'];
if (stateFile) {
  if (existsSync(stateFile)) {
    emulator.control.loadState(JSON.parse(readFileSync(stateFile, 'utf8')) as StateSnapshot);
    process.stdout.write(`Loaded state from ${stateFile}\n`);
  }
  let timer: NodeJS.Timeout | undefined;
  const save = (): void => {
    writeFileSync(stateFile, JSON.stringify(emulator.control.state()));
  };
  emulator.control.onStateChange(() => {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(save, 200);
  });
  const exit = (): void => {
    save();
    process.exit(0);
  };
  process.on('SIGINT', exit);
  process.on('SIGTERM', exit);
}

if (values['require-gdap']) {
  // After a loaded state, which carries its own GDAP settings.
  emulator.control.gdap.setSettings({ requireGdap: true });
}

const server = await startEmulatorServer(emulator, {
  port: Number(values.port),
  host: values.host,
  maxBodyBytes,
});
const partners = emulator.control.partners();
const lines = [
  `Partner Center emulator listening on ${server.url}`,
  `  Partner Center: ${server.url}/v1   ARM: ${server.url}/arm   control: ${server.url}/_emulator`,
  `  scenario ${values.scenario}, seed ${values.seed}, clock ${emulator.clock.now().toISOString()}`,
  controlToken
    ? '  control API: token required (Authorization: Bearer $EMULATOR_CONTROL_TOKEN)'
    : '  control API: open (set --control-token or EMULATOR_CONTROL_TOKEN in shared set-ups)',
  '  partner tenants:',
  ...partners.map(
    (p) =>
      `    ${p.tenantId}  ${p.kind.padEnd(17)} ${p.country}  ${p.name}${p.labels.length ? ` [${p.labels.join(', ')}]` : ''}`,
  ),
];
const first = partners[0];
if (first) {
  lines.push(
    '  try:',
    `    TOKEN=$(curl -s${controlToken ? ' -H "Authorization: Bearer $EMULATOR_CONTROL_TOKEN"' : ''} '${server.url}/_emulator/token?tenantId=${first.tenantId}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')`,
    `    curl -s -H "Authorization: Bearer $TOKEN" '${server.url}/v1/customers?size=5'`,
    `    curl -s -H "Authorization: Bearer $TOKEN" '${server.url}/graph/v1.0/tenantRelationships/delegatedAdminRelationships'`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
