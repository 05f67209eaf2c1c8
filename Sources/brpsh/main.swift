import Foundation
import REPL

exit(App.main(Array(CommandLine.arguments.dropFirst())))
