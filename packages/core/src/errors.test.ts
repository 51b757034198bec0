import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigurationError,
  InvalidArgumentError,
  InvalidJobIdError,
  JobNotFoundError,
  TsflinkError,
  deserializeError,
  serializeError,
} from './errors.js';

describe('errors', () => {
  it('names every error after its class', () => {
    assert.equal(new InvalidArgumentError('x').name, 'InvalidArgumentError');
    assert.equal(new JobNotFoundError('a').name, 'JobNotFoundError');
    assert.ok(new JobNotFoundError('a') instanceof TsflinkError);
  });

  it('words a missing job as Flink does', () => {
    assert.equal(
      new JobNotFoundError('196b8ce6788d0554f524ba747c4ea54f').message,
      'Could not find Flink job (196b8ce6788d0554f524ba747c4ea54f)',
    );
  });

  it('lists every configuration problem in the message', () => {
    const error = new ConfigurationError(['first problem', 'second problem']);
    assert.deepEqual(error.problems, ['first problem', 'second problem']);
    assert.match(error.message, /2 problems/);
    assert.match(error.message, /- first problem\n {2}- second problem/);
    assert.equal(new ConfigurationError('only one').message, 'Invalid configuration: only one');
  });

  it('round-trips an error through its wire form, keeping the remote stack', () => {
    const original = new InvalidJobIdError('nope');
    const wire = serializeError(original);
    assert.equal(wire.name, 'InvalidJobIdError');
    const copy = deserializeError(JSON.parse(JSON.stringify(wire)));
    assert.equal(copy.name, 'InvalidJobIdError');
    assert.equal(copy.message, original.message);
    assert.equal(copy.stack, original.stack);
  });

  it('serializes thrown non-errors and rebuilds a stack when none was sent', () => {
    assert.deepEqual(serializeError('boom'), { name: 'Error', message: 'boom', stack: '' });
    const copy = deserializeError({ name: 'RemoteThing', message: 'went wrong', stack: '' });
    assert.equal(copy.stack, 'RemoteThing: went wrong');
  });
});
