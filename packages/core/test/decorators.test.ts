import * as core from '@shared-call/core';
import { AsyncSharedCall, forgetCall, keyOf } from '@shared-call/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { deferred, within } from './helpers';

describe('group() under "experimentalDecorators"', () => {
  /** Compiles fixtures/<name>.ts as a NestJS project would, and runs it against this core. */
  function runLegacyFixture(name: string): unknown {
    const source = readFileSync(join(__dirname, 'fixtures', `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'], // as tsconfig.base.json: symbols as WeakMap keys (core's identity tokens)
      },
    });
    expect(outputText).toMatch(/__decorate\(/); // the legacy helper, not TC39's __esDecorate
    const exports = {};
    const load = (id: string): unknown => (id === '@shared-call/core' ? core : require(id));
    new Function('require', 'exports', outputText)(load, exports);
    return exports;
  }

  test('throws a TypeError naming experimentalDecorators and the way out, with a stable code', () => {
    let thrown: unknown;
    try {
      runLegacyFixture('legacy-decorator');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect(thrown).toMatchObject({ code: 'ERR_SHARED_CALL_LEGACY_DECORATOR' });
    const { message } = thrown as Error;
    expect(message).toMatch(/ProductRepo\.byId/);
    expect(message).toMatch(/"experimentalDecorators"/);
    expect(message).toMatch(/TC39 standard decorator \(TypeScript >= 5\.0\)/);
    expect(message).toMatch(/readonly byId = sc\.group\(\)/);
  });

  test('TypeScript (TS1270) names the fix: the legacy call’s result type says what to do', () => {
    const fixture = join(__dirname, 'fixtures', 'legacy-decorator.ts');
    const program = ts.createProgram([fixture], {
      experimentalDecorators: true,
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'], // as tsconfig.base.json: symbols as WeakMap keys (core's identity tokens)
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      paths: { '@shared-call/core': [join(__dirname, '..', 'src', 'index.ts')] },
    });
    const messages = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(messages).toEqual([
      expect.stringMatching(
        /^TS1270 Decorator function return type 'GroupIsAStandardDecorator_TurnOffExperimentalDecorators' is not assignable/,
      ),
    ]);
  }, 60_000);

  test('the way out the message names works: a wrapped function in a field, one flight per instance', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<void>();
    let runs = 0;
    class ProductRepo {
      readonly byId = sc.group()(async (id: number) => {
        runs++;
        await gate.promise;
        return { id };
      });
    }
    const [repo, other] = [new ProductRepo(), new ProductRepo()];
    const calls = [repo.byId(1), repo.byId(1), other.byId(1)];
    gate.resolve();
    const [a, b, c] = await within(Promise.all(calls));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(runs).toBe(2);
    expect(keyOf(repo, 'byId', 1)).toBe(repo.byId.keyFor(1));
  });
});

describe('keyOf / forgetCall: typed keys of decorated methods, per instance', () => {
  // Decorators are applied once per class: every Repo shares this coalescer (keys still differ per instance).
  const sc = new AsyncSharedCall();
  class Repo {
    constructor(readonly gate: Promise<string>) {}
    runs = 0;
    @sc.group()
    async load(id: number, region: string): Promise<string> {
      this.runs++;
      return `${await this.gate}:${id}:${region}`;
    }
    plain(id: number): number {
      return id;
    }
  }

  test('keyOf is the key the call uses, distinct per instance and per arguments', () => {
    const [repo, other] = [new Repo(new Promise(() => {})), new Repo(new Promise(() => {}))];
    expect(keyOf(repo, 'load', 1, 'eu')).toBe(keyOf(repo, 'load', 1, 'eu'));
    expect(keyOf(repo, 'load', 1, 'eu')).not.toBe(keyOf(other, 'load', 1, 'eu'));
    expect(keyOf(repo, 'load', 1, 'eu')).not.toBe(keyOf(repo, 'load', 1, 'us'));
    expect(keyOf(repo, 'load', 1, 'eu')).toMatch(/^\d+\|load#\d+@i\d+\.\w+\(/);
  });

  test('forgetCall forgets that instance’s flight only; the next call starts a new one', async () => {
    const gate = deferred<string>();
    const [repo, other] = [new Repo(gate.promise), new Repo(gate.promise)];
    const first = repo.load(1, 'eu');
    const otherCall = other.load(1, 'eu');
    expect(forgetCall(repo, 'load', 2, 'eu')).toBe(false); // other arguments: no flight
    expect(forgetCall(repo, 'load', 1, 'eu')).toBe(true);
    expect(forgetCall(repo, 'load', 1, 'eu')).toBe(false); // already forgotten
    const second = repo.load(1, 'eu'); // a new flight, not the forgotten one
    gate.resolve('v');
    expect(await within(Promise.all([first, second, otherCall]))).toEqual(['v:1:eu', 'v:1:eu', 'v:1:eu']);
    expect([repo.runs, other.runs]).toEqual([2, 1]);
  });

  test('a method group() did not wrap, or a non-object, is a TypeError with a code', () => {
    const repo = new Repo(Promise.resolve(''));
    expect(() => keyOf(repo, 'plain', 1)).toThrow(
      expect.objectContaining({ code: 'ERR_SHARED_CALL_NOT_COALESCED', message: expect.stringMatching(/^plain is not/) }),
    );
    expect(() => forgetCall(null as unknown as Repo, 'load', 1, 'eu')).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  test('types: arguments are checked against the method’s parameters (tsc runs on this file)', () => {
    const repo = new Repo(new Promise(() => {}));
    const key: string = keyOf(repo, 'load', 1, 'eu');
    const forgot: boolean = forgetCall(repo, 'load', 1, 'eu');
    // @ts-expect-error a string where the method takes a number
    expect(() => keyOf(repo, 'load', 'one', 'eu')).not.toThrow();
    // @ts-expect-error a missing argument
    expect(() => keyOf(repo, 'load', 1)).not.toThrow();
    // @ts-expect-error not a method of Repo
    expect(() => keyOf(repo, 'runs')).toThrow(TypeError);
    // @ts-expect-error no such member
    expect(() => forgetCall(repo, 'nope')).toThrow(TypeError);
    expect([typeof key, forgot]).toEqual(['string', false]);
  });
});
