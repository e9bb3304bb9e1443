// Package testenv holds no code; its subpackages are what the tests share:
// the environments that tests and local development run the project in,
// the fixture and the stores' conformance suite, kept apart from the
// packages they exercise. Every package that exists only for tests is
// here:
//
//   - localdb starts a local DynamoDB implementation as a child process on
//     a free loopback port; dynalite (npm, tools/node_modules) and moto
//     (moto_server, from the machine's image) start the two that the
//     project runs on.
//   - dynalitetest and mototest share one such DynamoDB among the tests of
//     a package (dynalitetest: dynalite, or moto with JCDD_DYNAMODB=moto).
//   - dynamotest gives the tests of the DynamoDB store and of its
//     publisher a table of their own on dynalite or on moto, with releases
//     loaded into it.
//   - fixture holds two small releases of the dataset that the stores'
//     conformance suite and the tests of exports run on.
//   - storetest is that conformance suite: every Store implementation
//     (memory, DynamoDB) passes the same tests; its addkind directory adds a
//     record kind from a test alone.
//   - faultproxy sits between a DynamoDB client and a local DynamoDB and
//     fails on demand, for the tests of the API's answers to store failures.
//
// None of them belongs in a deployed binary: the Lambda functions must not
// import them (functions/api's TestLambdaBuildsHaveNoMaintainerCode checks
// both bootstraps).
package testenv
