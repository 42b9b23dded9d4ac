import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type DocumentNode } from 'graphql';
import type { ResolverManifest } from '../src/resolver-manifest.js';

/** A manifest read from disk, with every code path made absolute and checked to exist. */
export interface LoadedManifest {
  readonly dir: string;
  readonly manifest: ResolverManifest;
}

/** Reads `<dir>/manifest.json`, failing with what is missing when the folder or a bundle is absent. */
export function loadResolverManifest(dir: string): LoadedManifest {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) {
    throw new Error(
      `PreciseScheduler: no resolver manifest; run "npm run build:assets" (in a clone) or pass assetsDir. Received: ${file}`,
    );
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as ResolverManifest;
  if (!Array.isArray(manifest.dataSources) || !Array.isArray(manifest.resolvers)) {
    throw new Error(
      `PreciseScheduler: ${file} must hold "dataSources" and "resolvers" arrays. Received: ${Object.keys(manifest).join(', ')}`,
    );
  }
  for (const code of codePaths(manifest)) {
    if (!existsSync(path.resolve(dir, code))) {
      throw new Error(
        `PreciseScheduler: a resolver bundle named in ${file} is missing. Received: ${code}`,
      );
    }
  }
  return { dir, manifest };
}

/** Every bundle the manifest refers to, relative to its folder. */
function codePaths(manifest: ResolverManifest): string[] {
  return manifest.resolvers.flatMap((r) =>
    r.kind === 'PIPELINE' ? [r.code, ...r.functions.map((f) => f.code)] : [r.code],
  );
}

/** `Type.field` for every field of every object type (and extension) in the schema. */
export function schemaFields(schemaSdl: string): Set<string> {
  const document: DocumentNode = parse(schemaSdl);
  const fields = new Set<string>();
  for (const definition of document.definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION
    ) {
      for (const field of definition.fields ?? []) {
        fields.add(`${definition.name.value}.${field.name.value}`);
      }
    }
  }
  return fields;
}

/** Fails unless every resolver's field exists and uses a declared data source, once each. */
export function checkManifestAgainstSchema(manifest: ResolverManifest, schemaSdl: string): void {
  const fields = schemaFields(schemaSdl);
  const sources = new Set(manifest.dataSources.map((d) => d.name));
  const seen = new Set<string>();
  for (const resolver of manifest.resolvers) {
    const field = `${resolver.typeName}.${resolver.fieldName}`;
    if (!fields.has(field)) {
      throw new Error(
        `PreciseScheduler: a resolver targets a field not in schema.graphql. Received: ${field}`,
      );
    }
    if (seen.has(field)) {
      throw new Error(`PreciseScheduler: two resolvers target the same field. Received: ${field}`);
    }
    seen.add(field);
    const used =
      resolver.kind === 'PIPELINE'
        ? resolver.functions.map((f) => f.dataSource)
        : [resolver.dataSource];
    for (const source of used) {
      if (!sources.has(source)) {
        throw new Error(
          `PreciseScheduler: resolver ${field} uses an undeclared data source. Received: ${source}`,
        );
      }
    }
  }
}
