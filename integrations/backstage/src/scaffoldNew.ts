/**
 * The `goldpath:scaffold:new` scaffolder action: what the Software Templates
 * that `scaffold export backstage` writes call first. It runs the real
 * `scaffold new` (never a reimplementation) in the task's workspace with the
 * step's answers, streams its progress into the task log, and fails the step
 * with scaffold's own message (file, field, hint) when an answer is bad.
 *
 * Answers go through a JSON answers file, never the command line; secrets go
 * through `SCAFFOLD_SECRET_<NAME>` in the child's environment only. Empty
 * answers are left out, so scaffold computes the golden path's own default
 * (which may be templated from other answers, as `The {{ service_name }} service`).
 */

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

export const ACTION_ID = 'goldpath:scaffold:new';

export interface ScaffoldNewOptions {
  /** The `scaffold` binary; default `scaffold` on PATH (or `$SCAFFOLD_BIN`). */
  binary?: string;
  /** Sources the action may render (exact, or a prefix ending in `*`); default any. */
  allowedSources?: string[];
}

/** What `scaffold new --json` prints (the fields the action passes on). */
interface NewOutcome {
  ok: boolean;
  golden_path?: string;
  version?: string;
  source?: string;
  commit?: string | null;
  problems?: { file: string | null; line: number | null; field: string | null; message: string; hint: string | null }[];
}

export function createScaffoldNewAction(options: ScaffoldNewOptions = {}) {
  const binary = options.binary ?? process.env.SCAFFOLD_BIN ?? 'scaffold';
  return createTemplateAction({
    id: ACTION_ID,
    description:
      'Renders a golden path into the workspace with `scaffold new`: files, lock, CI, chart, monitoring and catalog entry.',
    supportsDryRun: true,
    schema: {
      input: {
        source: z => z.string().describe('Golden path: a built-in name, a catalog name, a folder or a git URL (`URL#NAME`)'),
        version: z => z.string().optional().describe('Version to render; default the newest release'),
        answers: z => z.record(z.string(), z.any()).optional().describe('Answers by variable name; empty ones take the golden path default'),
        secrets: z => z.record(z.string(), z.string()).optional().describe('Secret answers, passed to tasks only'),
        targetPath: z => z.string().optional().describe('Folder inside the workspace; default the workspace itself'),
        git: z => z.boolean().optional().describe('Make the initial commit (default false: the publish step commits)'),
      },
      output: {
        goldenPath: z => z.string(),
        version: z => z.string(),
        source: z => z.string(),
      },
    },
    async handler(ctx) {
      const { source, version, answers = {}, secrets = {}, targetPath = '.', git = false } = ctx.input;
      if (!sourceAllowed(source, options.allowedSources)) {
        throw new Error(`golden path source \`${source}\` is not in the allowed sources of ${ACTION_ID}`);
      }
      const dest = path.resolve(ctx.workspacePath, targetPath);
      if (dest !== ctx.workspacePath && !dest.startsWith(ctx.workspacePath + path.sep)) {
        throw new Error(`targetPath \`${targetPath}\` leaves the workspace`);
      }
      // Beside the workspace, never in it: the answers are not part of the repository.
      const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'goldpath-answers-'));
      const answersFile = path.join(tmp, 'answers.json');
      await fs.writeFile(answersFile, JSON.stringify(withoutEmpty(answers)), { mode: 0o600 });
      try {
        await render(ctx, { binary, source, version, dest, answersFile, secrets, git });
      } finally {
        await fs.rm(tmp, { recursive: true, force: true });
      }
    },
  });
}

interface RenderRequest {
  binary: string;
  source: string;
  version?: string;
  dest: string;
  answersFile: string;
  secrets: Record<string, string>;
  git: boolean;
}

/** The slice of the action context `render` uses. */
interface RenderContext {
  logger: { info(message: string): void };
  isDryRun?: boolean;
  signal?: AbortSignal;
  output(name: 'goldenPath' | 'version' | 'source', value: string): void;
}

/** Runs `scaffold new --json` and passes on what it rendered, or fails with its problems. */
async function render(ctx: RenderContext, r: RenderRequest): Promise<void> {
  const args = ['new', r.source, r.dest, '--answers', r.answersFile, '--defaults', '--json'];
  if (r.version) args.push('--version', r.version);
  if (!r.git) args.push('--no-git');
  if (ctx.isDryRun) args.push('--dry-run');
  if (await isNonEmptyFolder(r.dest)) args.push('--force');

  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const [name, value] of Object.entries(r.secrets)) {
    env[`SCAFFOLD_SECRET_${name.toUpperCase()}`] = value;
  }
  ctx.logger.info(`scaffold ${args.filter(a => a !== r.answersFile).join(' ')}`);
  const { code, stdout } = await run(r.binary, args, env, line => ctx.logger.info(line), ctx.signal);
  const outcome = parseOutcome(stdout);
  if (code !== 0 || !outcome?.ok) {
    throw new Error(describeFailure(code, outcome));
  }
  ctx.logger.info(`rendered ${outcome.golden_path} ${outcome.version} from ${outcome.source}`);
  ctx.output('goldenPath', outcome.golden_path ?? '');
  ctx.output('version', outcome.version ?? '');
  ctx.output('source', outcome.source ?? r.source);
}

/** Empty strings, nulls and empty lists mean "no answer": scaffold's default applies. */
export function withoutEmpty(answers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(answers).filter(
      ([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0),
    ),
  );
}

function sourceAllowed(source: string, allowed?: string[]): boolean {
  if (!allowed) return true;
  return allowed.some(a => (a.endsWith('*') ? source.startsWith(a.slice(0, -1)) : source === a));
}

async function isNonEmptyFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length > 0;
  } catch {
    return false;
  }
}

function parseOutcome(stdout: string): NewOutcome | undefined {
  try {
    return JSON.parse(stdout) as NewOutcome;
  } catch {
    return undefined;
  }
}

function describeFailure(code: number | null, outcome?: NewOutcome): string {
  const problems = outcome?.problems ?? [];
  if (problems.length === 0) {
    return `scaffold new failed (exit ${code ?? 'killed'}); see the log above`;
  }
  return problems
    .map(p => {
      const place = [p.file, p.line].filter(x => x !== null && x !== undefined).join(':');
      const field = p.field ? ` [${p.field}]` : '';
      const hint = p.hint ? ` (${p.hint})` : '';
      return `${place}${field}${place || field ? ': ' : ''}${p.message}${hint}`;
    })
    .join('\n');
}

/** Runs `binary args`, handing each stderr line to `log` as it comes. */
function run(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', chunk => {
      stdout += chunk;
    });
    readline.createInterface({ input: child.stderr }).on('line', log);
    child.on('error', err =>
      reject(new Error(`cannot run \`${binary}\`: ${err.message} (install scaffold on the backend's PATH, or set SCAFFOLD_BIN)`)),
    );
    child.on('close', code => resolve({ code, stdout }));
  });
}
