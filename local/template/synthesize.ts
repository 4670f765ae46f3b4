/**
 * Synthesizes the CDK app in-process and reads it into the model the local runtime runs. By default without
 * bundling or cdk-nag (both checked by `npx cdk synth` and the template tests) and with handlers run from
 * source; `bundled` bundles every handler with esbuild exactly as `cdk deploy` does and runs the bundles.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../lib/app';
import { type AppModel, readAppModel } from './app-model';
import type { CfnTemplate, LocalEnvironment, SynthesizedStack } from './cfn-template';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface SynthesizeOptions {
  /** CDK context overrides, as `-c key=value` would give. */
  readonly context?: Record<string, unknown>;
  readonly env?: LocalEnvironment;
  /**
   * Bundle every handler with esbuild as `cdk deploy` does, and run the bundles instead of the sources.
   * The bundles find only what Lambda's Node.js runtime provides besides them: Node built-ins and the AWS
   * SDK v3 (`@aws-sdk/*`, here the project's pinned version). @default false
   */
  readonly bundled?: boolean;
}

export function synthesizeStacks(options: SynthesizeOptions = {}): SynthesizedStack[] {
  const outdir = options.bundled ? bundleDirectory() : undefined;
  const { app } = createApp({
    // Asset metadata names each function's bundle directory in the template.
    context: { ...options.context, ...(outdir ? { 'aws:cdk:enable-asset-metadata': true } : {}) },
    skipBundling: !options.bundled,
    nag: false,
    ...(outdir ? { outdir } : {}),
  });
  const assembly = app.synth();
  return assembly.stacks.map((stack) => ({
    stackName: stack.stackName,
    template: stack.template as CfnTemplate,
    ...(outdir ? { assemblyDir: assembly.directory } : {}),
  }));
}

export function loadAppModel(options: SynthesizeOptions = {}): AppModel {
  return readAppModel(synthesizeStacks(options), { env: options.env, projectRoot: PROJECT_ROOT });
}

/**
 * A temporary assembly directory (removed when the process exits) whose `node_modules` holds only
 * `@aws-sdk`, linked to the project's: what a bundle may require that it does not contain, as on Lambda.
 */
function bundleDirectory(): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'rds-ops-bundled-'));
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  mkdirSync(path.join(outdir, 'node_modules'));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules', '@aws-sdk'), path.join(outdir, 'node_modules', '@aws-sdk'));
  return outdir;
}
