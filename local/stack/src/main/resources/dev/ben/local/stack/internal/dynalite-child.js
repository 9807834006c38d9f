// Runs dynalite (in memory) as the child of a JVM and dies with it.
//   node dynalite-child.js <dir of the dynalite package>
// Listens on a free loopback port and prints "BEN_DYNALITE_PORT <port>" once it accepts connections.
// The JVM holds our stdin open: when the JVM exits - even by SIGKILL - the pipe closes and we exit.
// As a second guard we also exit when our parent process changes or disappears.
'use strict'
const path = require('path')

const dynalite = require(path.join(process.argv[2], 'index.js'))
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('BEN_DYNALITE_PORT ' + server.address().port + '\n')
})
server.on('error', (err) => {
  process.stderr.write('dynalite failed: ' + err.stack + '\n')
  process.exit(2)
})

process.stdin.on('end', () => process.exit(0))
process.stdin.on('close', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()

const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) process.exit(0)
  try { process.kill(parent, 0) } catch (e) { process.exit(0) }
}, 500).unref()
