// Installs local/stack's npm packages from package-lock.json (npm ci), but only when node_modules is
// missing or the lock file changed since the last install. Run by the Maven build (generate-resources).
'use strict'
const crypto = require('crypto')
const fs = require('fs')
const path = require('path')
const { execSync } = require('child_process')

const dir = path.resolve(__dirname, '..')
const lock = path.join(dir, 'package-lock.json')
const stamp = path.join(dir, 'node_modules', '.ben-lock.sha256')
const hash = crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex')
const installed = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : ''

if (installed === hash && fs.existsSync(path.join(dir, 'node_modules', 'dynalite', 'index.js'))) {
  process.exit(0)
}
console.log('[ben] npm ci in ' + dir + ' (node_modules missing or package-lock.json changed)')
execSync('npm ci --no-audit --no-fund --ignore-scripts', { cwd: dir, stdio: 'inherit' })
fs.writeFileSync(stamp, hash + '\n')
