console.error(
  'The local stack is not built yet: see the open issues. `npm test` runs the test suite.',
);
process.exitCode = 1;
