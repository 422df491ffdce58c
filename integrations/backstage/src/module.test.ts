/** The backend module, started in Backstage's test backend, registers the action. */

import { describe, expect, it } from '@jest/globals';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';

import goldpathModule, { ACTION_ID } from './index';

describe('scaffolder-backend-module-goldpath', () => {
  it(`registers ${ACTION_ID}, configured from app-config`, async () => {
    const added: { id: string }[] = [];
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions: (...a: any[]) => added.push(...a) }]],
      features: [
        goldpathModule,
        mockServices.rootConfig.factory({
          data: { goldpath: { binary: '/usr/local/bin/scaffold', allowedSources: ['builtin:*'] } },
        }),
      ],
    });
    expect(added.map(a => a.id)).toEqual([ACTION_ID]);
    await backend.stop();
  });
});
