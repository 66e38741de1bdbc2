#!/usr/bin/env node
'use strict';
/*
 * Validates ARM templates and parameters files offline against Microsoft's template schemas (DESIGN §12).
 *
 *   node validate-arm.js --schemas <dir with 2019-04-01/deploymentTemplate.json, common/, ...> <file.json>...
 *
 * Prints "OK <file>" or one line per problem ("<file>: <where>: <message>"); exits 1 when there is a problem.
 *
 * How (each point is a way a valid template would fail, or a broken one pass, with the schemas as published):
 * - every schema file is registered under its published address https://schema.management.azure.com/schemas/<path>,
 *   so the absolute $refs between them resolve without a network;
 * - oneOf is evaluated as anyOf: a "[...]" template expression satisfies several branches at once;
 * - pattern, minLength, maxLength and enum do not apply to a template expression, whose value is only known at
 *   deployment;
 * - the data collection rule schema lists a closed enum of Microsoft-* streams for dataFlows[].streams and so
 *   rejects the Custom-<table> streams of the Logs Ingestion API: those are accepted too;
 * - each resource is validated against the one definition of its type and apiVersion (an apiVersion the schemas
 *   do not define is an error), then the template as a whole against deploymentTemplate.json;
 * - the schemas accept undeclared properties, so every property name is also checked against the names the
 *   matching schema declares: a misspelt name is an error, not silently ignored.
 * A parameters file is validated against deploymentParameters.json and against the template beside it
 * (<name>.parameters[.<anything>].json goes with <name>.json): declared names, required values, types; a parameter
 * whose metadata says valueInForce (the value must be read from the running deployment) must not be in a file.
 */
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');

const PUBLISHED = 'https://schema.management.azure.com/schemas/';
const TEMPLATE_SCHEMA = PUBLISHED + '2019-04-01/deploymentTemplate.json';
const PARAMETERS_SCHEMA = PUBLISHED + '2019-04-01/deploymentParameters.json';
/** A template expression: "[...]", but not "[[...", which escapes a literal "[". */
const EXPRESSION = '^\\[(?!\\[)[\\s\\S]*\\]$';
/** The patterns that say "is a template expression": ours, and that of common/definitions.json#/definitions/expression. */
const EXPRESSION_PATTERNS = new Set([EXPRESSION, '^\\[([^\\[].*)?\\]$']);
const isExpression = (v) => typeof v === 'string' && new RegExp(EXPRESSION).test(v);

function main(argv) {
  const i = argv.indexOf('--schemas');
  const files = argv.filter((a, k) => k !== i && k !== i + 1);
  if (i < 0 || !argv[i + 1] || files.length === 0) {
    console.error('usage: node validate-arm.js --schemas <arm-schemas dir> <template-or-parameters.json>...');
    return 2;
  }
  const schemas = loadSchemas(argv[i + 1]);
  let failed = 0;
  for (const file of files) {
    const problems = validateFile(schemas, file);
    if (problems.length === 0) {
      console.log('OK ' + file);
    } else {
      failed++;
      problems.forEach((p) => console.log(`${file}: ${p}`));
    }
  }
  console.log(`${files.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------- schemas

function loadSchemas(dir) {
  const docs = new Map(); // published url -> schema (adjusted in memory; the files are not changed)
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.json')) {
      const url = PUBLISHED + path.relative(dir, p).split(path.sep).join('/');
      const schema = JSON.parse(fs.readFileSync(p, 'utf8'));
      schema.id = url; // some files declare another id (Sendgrid): the address they are referenced by wins
      delete schema.$schema;
      docs.set(url, schema);
    }
  });
  walk(dir);
  if (!docs.has(TEMPLATE_SCHEMA)) throw new Error(`${dir} holds no 2019-04-01/deploymentTemplate.json`);

  // Read before adjust() moves the enums: "type@apiVersion" (type lower-cased: ARM types are case-insensitive) -> its resource definition
  const definitions = new Map();
  for (const [url, schema] of docs) {
    for (const [name, def] of Object.entries(schema.resourceDefinitions || {})) {
      const type = def.properties.type.enum[0];
      const apiVersion = def.properties.apiVersion.enum[0];
      definitions.set(`${type.toLowerCase()}@${apiVersion}`, { url, pointer: `/resourceDefinitions/${name}`, type, apiVersion });
    }
  }
  for (const [url, schema] of docs) {
    if (url.endsWith('/Microsoft.Insights.json')) acceptCustomStreams(schema, url);
    adjust(schema);
  }
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false });
  for (const [url, schema] of docs) ajv.addSchema(schema, url);

  return { ajv, docs, definitions };
}

/** The closed enum of dataFlows[].streams wrongly rejects Custom-<name> streams (Logs Ingestion API). */
function acceptCustomStreams(schema, url) {
  const flow = schema.definitions && schema.definitions.DataFlow;
  if (!flow) return;
  const items = flow.properties && flow.properties.streams && flow.properties.streams.oneOf
      && flow.properties.streams.oneOf[0].items;
  if (!items || !Array.isArray(items.enum)) {
    throw new Error(`${url}: DataFlow.streams no longer has the expected shape; revisit the Custom-* stream workaround`);
  }
  items.anyOf = [{ enum: items.enum }, { pattern: '^Custom-[A-Za-z0-9_]+$' }];
  delete items.enum;
}

/** oneOf -> anyOf, and pattern/length/enum constraints waived for template expressions, everywhere. */
function adjust(node) {
  if (Array.isArray(node)) return node.forEach(adjust);
  if (!node || typeof node !== 'object') return;
  Object.values(node).forEach(adjust);
  if (Array.isArray(node.oneOf)) {
    if (node.anyOf) node.allOf = (node.allOf || []).concat([{ anyOf: node.oneOf }]);
    else node.anyOf = node.oneOf;
    delete node.oneOf;
  }
  const constraints = {};
  if (typeof node.pattern === 'string') constraints.pattern = node.pattern;
  if (typeof node.minLength === 'number') constraints.minLength = node.minLength;
  if (typeof node.maxLength === 'number') constraints.maxLength = node.maxLength;
  if (Array.isArray(node.enum)) constraints.enum = node.enum;
  if (Object.keys(constraints).length && constraints.pattern !== EXPRESSION) {
    Object.keys(constraints).forEach((k) => delete node[k]);
    node.allOf = (node.allOf || []).concat([{ anyOf: [{ type: 'string', pattern: EXPRESSION }, constraints] }]);
  }
}

// ---------------------------------------------------------------------------------------------- files

function validateFile(schemas, file) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return [`not readable JSON: ${e.message}`];
  }
  const kind = String(doc.$schema || '');
  if (/deploymentTemplate\.json/.test(kind)) return validateTemplate(schemas, doc);
  if (/deploymentParameters\.json/.test(kind)) return validateParameters(schemas, doc, file);
  return [`$schema is neither a deployment template nor a parameters file: "${kind}"`];
}

function validateTemplate(schemas, template) {
  const problems = [];
  const resources = Array.isArray(template.resources) ? template.resources : [];
  // The template without its resources: parameters, variables, outputs, ...
  const shell = Object.assign({}, template, { resources: [] });
  problems.push(...schemaErrors(schemas, { url: TEMPLATE_SCHEMA, pointer: '' }, shell, ''));
  problems.push(...nameErrors(schemas, [{ url: TEMPLATE_SCHEMA, pointer: '' }], shell, ''));

  resources.forEach((r, k) => {
    const where = `resources[${k}] ${r.type}${typeof r.name === 'string' && !isExpression(r.name) ? ` "${r.name}"` : ''}`;
    const def = schemas.definitions.get(`${String(r.type).toLowerCase()}@${r.apiVersion}`);
    if (!def) {
      const known = [...schemas.definitions.values()].filter((d) => d.type.toLowerCase() === String(r.type).toLowerCase())
          .map((d) => d.apiVersion);
      problems.push(`${where}: no schema for apiVersion ${r.apiVersion} of ${r.type}`
          + (known.length ? ` (the schemas define ${known.join(', ')})` : ' (the schemas do not define this type)'));
      return;
    }
    if (Array.isArray(r.resources)) {
      problems.push(`${where}: nested child resources are not checked here; declare them at the top level`);
    }
    const refs = [{ url: TEMPLATE_SCHEMA, pointer: '/definitions/resourceBase' }, def];
    problems.push(...refs.flatMap((ref) => schemaErrors(schemas, ref, r, where)));
    problems.push(...nameErrors(schemas, refs, r, where));
  });

  if (problems.length === 0) {
    // Belt and braces: the whole template against the root schema, as an editor would do it.
    const whole = schemaErrors(schemas, { url: TEMPLATE_SCHEMA, pointer: '' }, template, '');
    if (whole.length) problems.push('the template as a whole fails deploymentTemplate.json:', ...whole.slice(0, 20));
  }
  return problems;
}

function validateParameters(schemas, doc, file) {
  const problems = schemaErrors(schemas, { url: PARAMETERS_SCHEMA, pointer: '' }, doc, '')
      .concat(nameErrors(schemas, [{ url: PARAMETERS_SCHEMA, pointer: '' }], doc, ''));

  const templateFile = path.join(path.dirname(file), path.basename(file).replace(/\.parameters(\.[^.]+)?\.json$/, '.json'));
  if (templateFile === file || !fs.existsSync(templateFile)) {
    return problems.concat([`no template ${path.basename(templateFile)} beside it to check the values against`]);
  }
  const declared = JSON.parse(fs.readFileSync(templateFile, 'utf8')).parameters || {};
  const given = doc.parameters || {};
  const inForce = (d) => Boolean(d && d.metadata && d.metadata.valueInForce === true);
  for (const [name, p] of Object.entries(given)) {
    const d = declared[name];
    if (!d) {
      problems.push(`parameters.${name}: not a parameter of ${path.basename(templateFile)}${suggest(name, Object.keys(declared))}`);
      continue;
    }
    if (inForce(d)) {
      // A value read from the running deployment (metadata.valueInForce): written in a file, a later deployment
      // with that file would put an old value back (the package URL: the code of a slot).
      problems.push(`parameters.${name}: takes the value in force at deployment time (metadata.valueInForce), never a value from a file`);
      continue;
    }
    if (!('value' in p)) continue; // a Key Vault reference: resolved at deployment
    const type = String(d.type).toLowerCase();
    const ok = { string: 'string', securestring: 'string', int: 'number', bool: 'boolean', object: 'object',
      secureobject: 'object', array: 'object' }[type] === typeof p.value
        && (type !== 'array' || Array.isArray(p.value)) && (type !== 'int' || Number.isInteger(p.value));
    if (!ok) problems.push(`parameters.${name}: value ${JSON.stringify(p.value)} is not of type ${d.type}`);
    if (Array.isArray(d.allowedValues) && !d.allowedValues.some((a) => JSON.stringify(a) === JSON.stringify(p.value))) {
      problems.push(`parameters.${name}: ${JSON.stringify(p.value)} is not one of ${JSON.stringify(d.allowedValues)}`);
    }
  }
  for (const [name, d] of Object.entries(declared)) {
    // Secure values are passed on the command line or as Key Vault references, never written in an example; so
    // are values in force (metadata.valueInForce), read from the running deployment when it is deployed again.
    if (!('defaultValue' in d) && !/^secure/i.test(d.type) && !inForce(d) && !(name in given)) {
      problems.push(`parameters.${name}: required by ${path.basename(templateFile)} (it has no default) but not given`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------- checks

function schemaErrors(schemas, ref, value, where) {
  const validate = schemas.ajv.getSchema(ref.url + '#' + ref.pointer);
  if (!validate) return [`${where}: schema ${ref.url}#${ref.pointer} not found`];
  if (validate(value)) return [];
  // With anyOf every failing branch reports; keep the most specific errors: drop an error when another one
  // points deeper into the same value, and the anyOf/allOf summaries themselves.
  const errors = validate.errors.filter((e) => !['anyOf', 'allOf', 'oneOf'].includes(e.keyword));
  const paths = errors.map((e) => e.instancePath);
  const deepest = errors.filter((e) => !paths.some((p) => p !== e.instancePath && p.startsWith(e.instancePath + '/')));
  const lines = new Map();
  for (const e of deepest) {
    const at = `${where}${jsonPath(e.instancePath)}`;
    // "must match pattern" of the expression branch only says that the value is not an expression: noise
    if (e.keyword === 'pattern' && EXPRESSION_PATTERNS.has(e.params.pattern)) continue;
    const text = e.keyword === 'enum' ? `must be one of ${JSON.stringify(e.params.allowedValues)}` : e.message;
    const key = at;
    lines.set(key, (lines.has(key) ? lines.get(key) + '; or ' : `${at || '(top)'}: `) + text);
  }
  if (lines.size === 0) lines.set('', `${where || '(top)'}: does not match ${ref.url}#${ref.pointer}`);
  return [...lines.values()];
}

const jsonPath = (pointer) => pointer.split('/').slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');

/** Property names that the schema (as far as the value matches it) does not declare. */
function nameErrors(schemas, refs, value, where) {
  const out = [];
  checkNames(schemas, refs, value, where, out);
  return out;
}

function checkNames(schemas, refs, value, where, out) {
  if (value === null || typeof value !== 'object') return;
  const acc = { declared: false, open: false, props: new Map(), additional: [], items: [] };
  refs.forEach((ref) => collect(schemas, ref, value, acc, 0));
  if (Array.isArray(value)) {
    if (acc.items.length) value.forEach((v, k) => checkNames(schemas, acc.items, v, `${where}[${k}]`, out));
    return;
  }
  for (const [name, v] of Object.entries(value)) {
    if (acc.props.has(name)) checkNames(schemas, acc.props.get(name), v, `${where}.${name}`, out);
    else if (acc.additional.length) checkNames(schemas, acc.additional, v, `${where}.${name}`, out);
    else if (acc.declared && !acc.open) {
      out.push(`${where || '(top)'}: property "${name}" is not declared by the schema${suggest(name, [...acc.props.keys()])}`);
    }
  }
}

/** Gathers what the schema at ref declares for value: properties, additionalProperties, items; follows
 *  $ref and allOf, and those anyOf branches that the value satisfies. */
function collect(schemas, ref, value, acc, depth) {
  if (depth > 64) throw new Error(`$ref loop at ${ref.url}#${ref.pointer}`);
  const node = lookup(schemas, ref);
  if (!node || typeof node !== 'object') return;
  const at = (suffix) => ({ url: ref.url, pointer: `${ref.pointer}/${suffix}` });
  if (typeof node.$ref === 'string') {
    const [url, fragment = ''] = node.$ref.split('#');
    collect(schemas, { url: url || ref.url, pointer: fragment }, value, acc, depth + 1);
  }
  (node.allOf || []).forEach((_, k) => collect(schemas, at(`allOf/${k}`), value, acc, depth + 1));
  // The branches the value satisfies; when it satisfies none (it has a schema error too), every branch: a
  // misspelt name beside a wrong value is still reported.
  const branches = (node.anyOf || []).map((_, k) => at(`anyOf/${k}`));
  const matching = branches.filter((b) => schemas.ajv.getSchema(b.url + '#' + b.pointer)(value));
  (matching.length ? matching : branches).forEach((b) => collect(schemas, b, value, acc, depth + 1));
  if (node.properties && typeof node.properties === 'object') {
    acc.declared = true;
    for (const name of Object.keys(node.properties)) {
      if (!acc.props.has(name)) acc.props.set(name, []);
      acc.props.get(name).push(at(`properties/${escape(name)}`));
    }
  }
  if (node.additionalProperties === true || node.patternProperties) acc.open = true;
  else if (node.additionalProperties && typeof node.additionalProperties === 'object') acc.additional.push(at('additionalProperties'));
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) acc.items.push(at('items'));
}

function lookup(schemas, ref) {
  let node = schemas.docs.get(ref.url);
  for (const part of ref.pointer.split('/').slice(1)) {
    if (node === undefined) return undefined;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

const escape = (name) => name.replace(/~/g, '~0').replace(/\//g, '~1');

/** " (did you mean X?)" for the declared name nearest to a misspelt one. */
function suggest(name, names) {
  const distance = (a, b) => {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0];
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const t = d[j];
        d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
        prev = t;
      }
    }
    return d[b.length];
  };
  const best = names.map((n) => [n, distance(name, n)]).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best[0]}"?)` : '';
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e.stack || String(e));
    process.exitCode = 2;
  }
}
