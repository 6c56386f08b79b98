import { parsePurl } from '../../../src/findings/parsers/deps-purl';

describe('package URLs', () => {
  test.each([
    ['pkg:npm/lodash@4.17.15', { type: 'npm', name: 'lodash', version: '4.17.15' }],
    ['pkg:npm/%40vercel/fun@1.1.0', { type: 'npm', name: '@vercel/fun', version: '1.1.0' }],
    ['pkg:npm/@vercel/fun', { type: 'npm', name: '@vercel/fun', version: undefined }],
    ['pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2?type=jar', { type: 'maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.13.2' }],
    ['pkg:deb/debian/libc-bin@2.28-10?arch=amd64&distro=debian-10', { type: 'deb', name: 'libc-bin', version: '2.28-10' }],
    ['pkg:pypi/django@3.2.9#sub/path', { type: 'pypi', name: 'django', version: '3.2.9' }],
    ['pkg:golang/github.com/gin-gonic/gin@v1.9.0', { type: 'golang', name: 'github.com/gin-gonic/gin', version: 'v1.9.0' }],
    // the specification's normalization of PyPI names
    ['pkg:pypi/Django_Rest@1.0', { type: 'pypi', name: 'django-rest', version: '1.0' }],
  ])('%s', (purl, parts) => {
    expect(parsePurl(purl)).toEqual(parts);
  });

  test.each(['a-purl-1', 'pkg:npm', 'pkg:npm/a%ZZb@1', '', undefined])('not a purl: %p', (text) => {
    expect(parsePurl(text)).toBeUndefined();
  });
});
