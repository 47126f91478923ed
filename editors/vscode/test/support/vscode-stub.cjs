// A stand-in for the `vscode` module, so that the compiled client (out/extension.js) and
// vscode-languageclient can run under Node's test runner without VS Code (which cannot be
// downloaded here). It records what a user would see (error notifications, the output
// channel) and serves the settings a test sets; every other API is a permissive dummy that
// returns further dummies, which is enough for the client to start and stop a server.
// Installing it hooks Node's module loader: `require('vscode')` returns this stand-in.

const Module = require('node:module');

function dummy(name) {
  return new Proxy(function () {}, {
    get(_target, property) {
      if (property === 'then' || property === Symbol.iterator) return undefined;
      if (property === Symbol.toPrimitive) return () => name;
      return dummy(`${name}.${String(property)}`);
    },
    apply: () => dummy(`${name}()`),
    construct: () => dummy(`new ${name}`),
  });
}

class EventEmitter {
  constructor() {
    this.listeners = [];
    this.event = (listener) => {
      this.listeners.push(listener);
      return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
    };
  }
  fire(value) {
    for (const listener of this.listeners) listener(value);
  }
  dispose() {
    this.listeners = [];
  }
}

class Disposable {
  constructor(callOnDispose) {
    this.callOnDispose = callOnDispose;
  }
  static from(...disposables) {
    return new Disposable(() => disposables.forEach((d) => d?.dispose?.()));
  }
  dispose() {
    this.callOnDispose?.();
  }
}

const state = {
  settings: {},
  workspaceRoot: undefined,
  errors: [],
  output: [],
  reset({ settings = {}, workspaceRoot } = {}) {
    state.settings = settings;
    state.workspaceRoot = workspaceRoot;
    state.errors = [];
    state.output = [];
  },
};

const outputChannel = {
  name: 'payerlex',
  append: (text) => state.output.push(text),
  appendLine: (line) => state.output.push(`${line}\n`),
  clear() {},
  show() {},
  hide() {},
  replace() {},
  dispose() {},
};

const overrides = {
  version: '1.90.0',
  EventEmitter,
  Disposable,
  window: {
    showErrorMessage: (message) => {
      state.errors.push(message);
      return Promise.resolve(undefined);
    },
    createOutputChannel: () => outputChannel,
  },
  workspace: {
    getConfiguration: () => ({ get: (key, fallback) => state.settings[key] ?? fallback }),
    get workspaceFolders() {
      return state.workspaceRoot === undefined ? undefined : [{ uri: { fsPath: state.workspaceRoot } }];
    },
    textDocuments: [],
  },
};

function withOverrides(base, own) {
  return new Proxy(base, {
    get(target, property) {
      if (Object.prototype.hasOwnProperty.call(own, property)) {
        const value = own[property];
        return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof EventEmitter)
          ? withOverrides(target[property], value)
          : value;
      }
      return target[property];
    },
  });
}

const vscode = withOverrides(dummy('vscode'), overrides);

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

module.exports = { state };
