// Starting deployments (key generation, migrations, several processes) outlasts Jest's 5 s default.
jest.setTimeout(120_000);
