// Custom Elements Manifest of <chartio-embed> (`cem analyze`, run by `npm run build`): read from
// the element's JSDoc (@attr, @fires, @slot, @csspart, @cssprop) and Lit's `static properties`,
// written to dist/custom-elements.json, which is published and named by package.json's
// `customElements`. test/build/custom-elements.test.ts checks it against what the element does.
import { posix } from 'node:path';

/**
 * A module path as published: the manifest ships in dist/ without the sources, so it names
 * dist/*.js. Relative references (re-exports such as `./define.js`) are resolved against `from`,
 * the path of the module that makes them.
 */
function published(path, from) {
  if (path.startsWith('.')) return posix.join(posix.dirname(from), path);
  return path.replace(/^\/?src\/(.*)\.[jt]s$/, 'dist/$1.js');
}

/** Rewrites every module path and module reference (`path`, `module`) to its published file. */
function publishedPathsPlugin() {
  const visit = (node, from) => {
    if (Array.isArray(node)) return node.forEach((item) => visit(item, from));
    if (!node || typeof node != 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key == 'module' && typeof value == 'string') node.module = published(value, from);
      else visit(value, from);
    }
  };
  return {
    name: 'chartio-embed: published paths',
    packageLinkPhase({ customElementsManifest: { modules } }) {
      for (const module of modules) {
        module.path = published(module.path);
        visit(module, module.path);
      }
    },
  };
}

/**
 * `customElements.define(TAG_NAME, …)` names the tag through a constant, which the analyzer
 * records as the tag name "TAG_NAME": use the string the constant holds, for the definition and
 * for its class.
 */
function tagNameConstantsPlugin() {
  return {
    name: 'chartio-embed: tag name constants',
    packageLinkPhase({ customElementsManifest: { modules } }) {
      const tags = new Map();
      for (const module of modules) {
        for (const definition of module.exports ?? []) {
          if (definition.kind != 'custom-element-definition') continue;
          const constant = module.declarations?.find((item) => item.kind == 'variable' && item.name == definition.name);
          const value = /^(['"])(.+)\1$/.exec(constant?.default ?? '')?.[2];
          if (value) definition.name = value;
          tags.set(definition.declaration.name, definition.name);
        }
      }
      for (const declaration of modules.flatMap((module) => module.declarations ?? [])) {
        if (declaration.customElement && tags.has(declaration.name)) declaration.tagName = tags.get(declaration.name);
      }
    },
  };
}

/** `#private` members are not part of the element's interface: tools need not list them. */
function noPrivateMembersPlugin() {
  return {
    name: 'chartio-embed: no private members',
    packageLinkPhase({ customElementsManifest: { modules } }) {
      for (const declaration of modules.flatMap((module) => module.declarations ?? [])) {
        if (declaration.members) declaration.members = declaration.members.filter((member) => member.privacy != 'private');
      }
    },
  };
}

export default {
  globs: ['src/element/*.ts'],
  outdir: 'dist',
  litelement: true,
  // The analyzer would otherwise write a `customElements` field into package.json at each build.
  packagejson: false,
  plugins: [tagNameConstantsPlugin(), noPrivateMembersPlugin(), publishedPathsPlugin()],
};
