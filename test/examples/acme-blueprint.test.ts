// The acme-blueprint package's own tests, run by this repository's jest too.
import '../../examples/acme-blueprint/test/blueprint.test';
