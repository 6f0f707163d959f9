// Lists functions longer than a bound (default 60 lines) and files longer than 300 lines in
// src/, the JSX pages excepted: the size rules of docs/architecture.md, checkable by anyone.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const MAX_FUNCTION_LINES = Number(process.argv[2] ?? 60);
const MAX_FILE_LINES = 300;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.tsx?$/.test(name)) yield path;
  }
}

let problems = 0;
for (const path of files('src')) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').length;
  if (lines > MAX_FILE_LINES) {
    console.log(`${path}: file has ${lines} lines`);
    problems += 1;
  }
  if (path.endsWith('.tsx')) continue;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > MAX_FUNCTION_LINES) {
        const name = node.name?.getText(source) ?? '(anonymous)';
        console.log(`${path}:${start + 1}: ${name} has ${end - start + 1} lines`);
        problems += 1;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
console.log(problems === 0 ? 'sizes ok' : `${problems} over the bounds`);
process.exitCode = problems === 0 ? 0 : 1;
