'use strict';
// What fn does in a conformance-suite call, as plain data (a recipe), so that the same call can be made in this
// thread or in a worker thread: return a value or throw an error, optionally after a gate opens. Gates and the
// count of fn entries live in shared memory (RECIPE_CELLS), so a test opens a gate for a caller in any thread.
// Replies describe outcomes as plain data too, since posting an error to another thread would lose its class
// and `code`. Not part of any package.
const { RECIPE_CELLS, blockUntilAtLeast } = require('./cells.cjs');

/** The error a recipe `{ throw: { message, code } }` throws: a RangeError (a built-in class survives a thread hop). */
function recipeError({ message, code }) {
  return Object.assign(new RangeError(message), { code });
}

function enter(cells) {
  Atomics.add(cells, RECIPE_CELLS.ENTERED, 1);
  Atomics.notify(cells, RECIPE_CELLS.ENTERED);
}

function outcomeOf(recipe) {
  if ('throw' in recipe) throw recipeError(recipe.throw);
  return recipe.value;
}

/** fn for a blocking coalescer: waits for its gate by blocking this thread (worker threads only). */
function blockingFn(cells, recipe) {
  return () => {
    enter(cells);
    if (recipe.gate !== undefined) blockUntilAtLeast(cells, RECIPE_CELLS.GATE + recipe.gate - 1, 1);
    return outcomeOf(recipe);
  };
}

/** fn for an asynchronous coalescer: awaits its gate without blocking (Atomics.waitAsync). */
function asyncFn(cells, recipe) {
  return async () => {
    enter(cells);
    const cell = RECIPE_CELLS.GATE + recipe.gate - 1;
    while (recipe.gate !== undefined && Atomics.load(cells, cell) === 0) await Atomics.waitAsync(cells, cell, 0).value;
    return outcomeOf(recipe);
  };
}

/** An error as plain data: its class, name, message and code (what survives, by contract, a thread hop). */
function describeError(error) {
  if (!(error instanceof Error) && !(error instanceof DOMException)) return { thrown: error };
  return { ctor: error.constructor.name, name: error.name, message: error.message, code: error.code };
}

/** Runs `call` and replies as plain data: `{ ok: true, value, shared }` or `{ ok: false, error }` (described). */
async function replyOf(call) {
  try {
    const { value, shared } = await call();
    return { ok: true, value, shared };
  } catch (error) {
    return { ok: false, error: describeError(error), raw: error };
  }
}

module.exports = { blockingFn, asyncFn, describeError, recipeError, replyOf };
