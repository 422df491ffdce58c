/**
 * The action against the real `scaffold` binary ($SCAFFOLD_BIN, built by
 * cargo), driven through Backstage's own mock action context.
 */

import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describe, expect, it } from '@jest/globals';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

import { ACTION_ID, createScaffoldNewAction, withoutEmpty } from './scaffoldNew';

const binary = process.env.SCAFFOLD_BIN;
if (!binary) {
  throw new Error('set SCAFFOLD_BIN to the scaffold binary (cargo build; target/debug/scaffold)');
}

async function workspace(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'goldpath-action-'));
}

function logger() {
  const lines: string[] = [];
  const log = (message: string) => {
    lines.push(message);
  };
  const l = { info: log, warn: log, error: log, debug: log, child: () => l };
  return { lines, logger: l as any };
}

function context(input: Record<string, unknown>, workspacePath: string, extra: Record<string, unknown> = {}) {
  const { lines, logger: log } = logger();
  const ctx = {
    ...createMockActionContext({ input: input as any, workspacePath, logger: log }),
    ...extra,
  };
  return { ctx, lines };
}

describe(ACTION_ID, () => {
  const action = createScaffoldNewAction({ binary });

  it('renders the golden path into the workspace and passes on what it rendered', async () => {
    const ws = await workspace();
    const { ctx, lines } = context(
      {
        source: 'java-service',
        answers: { service_name: 'orders', description: '', database: 'none', cache: 'none', port: 8081 },
        secrets: { registry_token: 'never-in-argv' },
      },
      ws,
    );
    await action.handler(ctx as any);

    const catalog = await fs.readFile(path.join(ws, 'catalog-info.yaml'), 'utf8');
    expect(catalog).toContain('name: orders');
    // An empty answer takes the golden path's templated default.
    expect(catalog).toContain('The orders service');
    const lock = await fs.readFile(path.join(ws, '.scaffold/lock.toml'), 'utf8');
    expect(lock).toContain('name = "java-service"');
    expect(lock).toContain('port = 8081');
    await expect(fs.stat(path.join(ws, '.git'))).rejects.toThrow();

    expect(ctx.output).toHaveBeenCalledWith('goldenPath', 'java-service');
    expect(ctx.output).toHaveBeenCalledWith('source', 'builtin:java-service');
    expect(lines[0]).toMatch(/^scaffold new java-service /);
    expect(lines.join('\n')).not.toContain('never-in-argv');
  });

  it("fails the step with scaffold's own message for a bad answer, writing nothing", async () => {
    const ws = await workspace();
    const { ctx } = context({ source: 'java-service', answers: { service_name: 'Orders!' } }, ws);
    await expect(action.handler(ctx as any)).rejects.toThrow(/\[service_name\]/);
    expect(await fs.readdir(ws)).toEqual([]);
  });

  it('writes nothing in a dry run', async () => {
    const ws = await workspace();
    const { ctx } = context({ source: 'java-service', answers: { service_name: 'orders' } }, ws, {
      isDryRun: true,
    });
    await action.handler(ctx as any);
    expect(await fs.readdir(ws)).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('goldenPath', 'java-service');
  });

  it('refuses a target outside the workspace and sources not allowed', async () => {
    const ws = await workspace();
    const { ctx } = context({ source: 'java-service', targetPath: '../elsewhere' }, ws);
    await expect(action.handler(ctx as any)).rejects.toThrow(/leaves the workspace/);

    const strict = createScaffoldNewAction({ binary, allowedSources: ['builtin:*'] });
    const { ctx: other } = context({ source: 'https://evil.example.com/paths.git' }, ws);
    await expect(strict.handler(other as any)).rejects.toThrow(/not in the allowed sources/);
  });

  it('leaves empty answers out so scaffold applies its defaults', () => {
    expect(withoutEmpty({ a: '', b: null, c: [], d: 0, e: false, f: 'x' })).toEqual({ d: 0, e: false, f: 'x' });
  });
});
