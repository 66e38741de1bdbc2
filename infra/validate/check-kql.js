#!/usr/bin/env node
'use strict';
/*
 * Parses KQL queries and checks them against the Log Analytics table schema (DESIGN §8, §12).
 *
 *   node check-kql.js --table <alertrelay-table.json> <query.kql>...
 *
 * Uses Kusto.Language (the parser and semantic analyser behind Kusto's editors) from
 * @kusto/language-service-next: KustoCode.ParseAndAnalyze with a GlobalState whose database holds the table with
 * its columns, plus the standard columns Log Analytics adds to every table. An unknown table, column or function,
 * a type error or a syntax error is reported as "<file>:<line>:<column>: <code> <message>"; exits 1 when any query
 * has an error.
 */
const fs = require('fs');
// The bridge is a Bridge.NET translation of the C# library: its runtime first, then the library; both define globals.
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');

const K = global.Kusto.Language;

/** Columns Log Analytics adds to every table, custom ones included (TenantId is the workspace id). */
const STANDARD_COLUMNS = [
  ['TenantId', 'string'], ['Type', 'string'], ['SourceSystem', 'string'], ['_ResourceId', 'string'],
  ['_SubscriptionId', 'string'], ['_ItemId', 'string'], ['_TimeReceived', 'datetime'], ['_IsBillable', 'string'],
  ['_BilledSize', 'real'],
];
/** Log Analytics column types -> Kusto scalar types. */
const KUSTO_TYPES = { boolean: 'bool', datetime: 'datetime', dynamic: 'dynamic', guid: 'guid', int: 'int', long: 'long',
  real: 'real', string: 'string', timespan: 'timespan' };

function main(argv) {
  const i = argv.indexOf('--table');
  const files = argv.filter((a, k) => k !== i && k !== i + 1);
  if (i < 0 || !argv[i + 1] || files.length === 0) {
    console.error('usage: node check-kql.js --table <table.json> <query.kql>...');
    return 2;
  }
  const globals = globalsFor(JSON.parse(fs.readFileSync(argv[i + 1], 'utf8')));
  let failed = 0;
  for (const file of files) {
    const errors = check(fs.readFileSync(file, 'utf8'), globals);
    if (errors.length === 0) {
      console.log('OK ' + file);
    } else {
      failed++;
      errors.forEach((e) => console.log(`${file}:${e}`));
    }
  }
  console.log(`${files.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

function globalsFor(table) {
  const own = table.columns.map((c) => {
    const type = KUSTO_TYPES[String(c.type).toLowerCase()];
    if (!type) throw new Error(`column ${c.name}: unknown type ${c.type}`);
    return [c.name, type];
  });
  const clash = own.find(([name]) => STANDARD_COLUMNS.some(([s]) => s === name));
  if (clash) throw new Error(`column ${clash[0]} is reserved by Log Analytics`);
  const schema = '(' + own.concat(STANDARD_COLUMNS).map(([n, t]) => `['${n}']:${t}`).join(', ') + ')';
  const symbol = new K.Symbols.TableSymbol.$ctor7(table.name, schema, null);
  const database = new K.Symbols.DatabaseSymbol.$ctor1('workspace', [symbol], false);
  return K.GlobalState.Default.WithDatabase(database);
}

/** "line:column: code message" for each error of the query. */
function check(text, globals) {
  const diagnostics = K.KustoCode.ParseAndAnalyze(text, globals).GetDiagnostics();
  const errors = [];
  for (let k = 0; k < diagnostics.Count; k++) {
    const d = diagnostics.getItem(k);
    if (d.Severity !== 'Error') continue;
    const before = text.slice(0, d.Start).split('\n');
    errors.push(`${before.length}:${before[before.length - 1].length + 1}: ${d.Code} ${d.Message}`);
  }
  return errors;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e.stack || String(e));
    process.exitCode = 2;
  }
}
