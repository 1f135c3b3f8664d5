// @ts-check
/**
 * The custom-elements manifest of `<search-gate>`, generated from the widget's JSDoc by
 * `@custom-elements-manifest/analyzer`. `vite build` runs it and ships the result beside the bundle
 * (dist/widget/custom-elements.json, named by package.json "customElements"); `npx cem analyze`
 * alone writes the same file.
 */

/** @typedef {import('@custom-elements-manifest/analyzer').Plugin} Plugin */
/** @typedef {import('custom-elements-manifest/schema').Package} Package */
/** @typedef {import('custom-elements-manifest/schema').Declaration} Declaration */
/** @typedef {import('custom-elements-manifest/schema').CustomElementDeclaration} ElementDeclaration */
/** @typedef {import('custom-elements-manifest/schema').Export} Export */

/** The module the bundle is built from, and the file it ships as (relative to the package). */
const entry = 'widget/search-gate.ts';
const bundle = 'dist/widget/search-gate.js';

/** @param {import('typescript').Node} node @returns {import('typescript').Node[]} */
const descendants = (node) => {
  /** @type {import('typescript').Node[]} */
  const found = [];
  const visit = (/** @type {import('typescript').Node} */ child) => {
    found.push(child);
    child.forEachChild(visit);
  };
  node.forEachChild(visit);
  return found;
};

/**
 * Lit's `static properties = { open: { state: true } }` is internal state, never an attribute;
 * the analyzer lists it as one (open-wc/custom-elements-manifest#294).
 * @returns {Plugin}
 */
function litStatesAreNotAttributes() {
  return {
    name: 'searchgate/lit-states-are-not-attributes',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const declaration = /** @type {ElementDeclaration | undefined} */ (
        moduleDoc.declarations?.find((d) => d.name === node.name?.text)
      );
      const properties = node.members.find(
        (member) =>
          ts.isPropertyDeclaration(member) &&
          member.name.getText() === 'properties' &&
          member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword),
      );
      if (!declaration || !properties || !ts.isPropertyDeclaration(properties)) return;
      const options = properties.initializer;
      if (!options || !ts.isObjectLiteralExpression(options)) return;
      const states = new Set();
      for (const property of options.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        if (!ts.isObjectLiteralExpression(property.initializer)) continue;
        const isState = property.initializer.properties.some(
          (option) =>
            ts.isPropertyAssignment(option) &&
            option.name.getText() === 'state' &&
            option.initializer.kind === ts.SyntaxKind.TrueKeyword,
        );
        if (isState) states.add(property.name.getText());
      }
      declaration.attributes = declaration.attributes?.filter(
        (attribute) => !states.has(attribute.fieldName),
      );
      for (const member of declaration.members ?? []) {
        if (states.has(member.name) && 'attribute' in member) delete member.attribute;
      }
    },
  };
}

/**
 * `dispatchEvent(new CustomEvent(type, …))` inside a typed helper is not an event named "type":
 * the analyzer takes the variable's name for the event's. Events are what `@fires` documents.
 * @returns {Plugin}
 */
function eventNamesAreLiterals() {
  return {
    name: 'searchgate/event-names-are-literals',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const declaration = /** @type {ElementDeclaration | undefined} */ (
        moduleDoc.declarations?.find((d) => d.name === node.name?.text)
      );
      if (!declaration?.events) return;
      const variableNames = new Set(
        descendants(node)
          .filter(ts.isNewExpression)
          .map((expression) => expression.arguments?.[0])
          .filter((name) => name !== undefined && ts.isIdentifier(name))
          .map((name) => /** @type {import('typescript').Identifier} */ (name).text),
      );
      declaration.events = declaration.events.filter(
        (event) => event.description !== undefined || !variableNames.has(event.name),
      );
    },
  };
}

/**
 * The package ships one bundle, so the manifest has one module: the bundle, declaring every
 * custom element found in the widget's sources and exporting what the entry exports of them.
 * @returns {Plugin}
 */
function oneModuleForTheBundle() {
  return {
    name: 'searchgate/one-module-for-the-bundle',
    packageLinkPhase({ customElementsManifest }) {
      const manifest = /** @type {Package} */ (customElementsManifest);
      const elements = manifest.modules.flatMap((module) =>
        (module.declarations ?? []).filter(
          (declaration) => 'customElement' in declaration && declaration.customElement,
        ),
      );
      const names = new Set(elements.map((element) => element.name));
      const entryModule = manifest.modules.find((module) => module.path === entry);
      /** @type {Export[]} */
      const exports = (entryModule?.exports ?? [])
        .filter((item) => names.has(item.declaration.name))
        .map((item) => ({ ...item, declaration: { name: item.declaration.name, module: bundle } }));
      manifest.modules = [
        { kind: 'javascript-module', path: bundle, declarations: elements, exports },
      ];
    },
  };
}

export default {
  globs: ['widget/**/*.ts'],
  outdir: 'dist/widget',
  litelement: true,
  packagejson: false,
  plugins: [litStatesAreNotAttributes(), eventNamesAreLiterals(), oneModuleForTheBundle()],
};
