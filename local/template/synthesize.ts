/**
 * Synthesizes the CDK app in-process (no bundling, no cdk-nag: both are checked by `npx cdk synth`
 * and the template tests) and reads it into the model the local runtime runs.
 */
import path from 'node:path';
import { createApp } from '../../lib/app';
import { type AppModel, readAppModel } from './app-model';
import type { CfnTemplate, LocalEnvironment, SynthesizedStack } from './cfn-template';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface SynthesizeOptions {
  /** CDK context overrides, as `-c key=value` would give. */
  readonly context?: Record<string, unknown>;
  readonly env?: LocalEnvironment;
}

export function synthesizeStacks(options: SynthesizeOptions = {}): SynthesizedStack[] {
  const { app } = createApp({ context: options.context, skipBundling: true, nag: false });
  const assembly = app.synth();
  return assembly.stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template as CfnTemplate }));
}

export function loadAppModel(options: SynthesizeOptions = {}): AppModel {
  return readAppModel(synthesizeStacks(options), { env: options.env, projectRoot: PROJECT_ROOT });
}
