/**
 * A Backstage backend module for the scaffolder plugin that registers the
 * `goldpath:scaffold:new` action. Add it to the backend:
 *
 *   backend.add(import('@goldpath/plugin-scaffolder-backend-module-goldpath'));
 *
 * and, optionally, restrict what it renders in app-config.yaml:
 *
 *   goldpath:
 *     binary: /usr/local/bin/scaffold
 *     allowedSources: ['builtin:*', 'https://git.example.com/platform/*']
 */

import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';

import { createScaffoldNewAction } from './scaffoldNew';

export { ACTION_ID, createScaffoldNewAction, withoutEmpty } from './scaffoldNew';
export type { ScaffoldNewOptions } from './scaffoldNew';

const goldpathModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'goldpath',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        scaffolder.addActions(
          createScaffoldNewAction({
            binary: config.getOptionalString('goldpath.binary'),
            allowedSources: config.getOptionalStringArray('goldpath.allowedSources'),
          }),
        );
      },
    });
  },
});

export default goldpathModule;
