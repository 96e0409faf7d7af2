export const helpText = `Usage: altar-viewer [--data-dir DIR] <command> [options]

Browse Sacred experiment runs from the command line, or serve the viewer to a browser.

Commands:
  serve [--host 127.0.0.1] [--port N] [--no-open]
                              Serve the viewer on a loopback port and open a browser
  sources add NAME --folder PATH
                              Add a folder written by Sacred's FileStorageObserver
  sources list [--format table|json]
                              List the sources
  sources remove NAME         Forget a source and its cached runs (files are not touched)
  sync [NAME...]              Read new and changed runs of the sources (all by default)
  runs [--source NAME] [--limit N] [--format table|json|csv]
                              List the cached runs, newest first
  demo [--runs N]             Write a folder of generated Sacred runs and add it as "demo"

Global options:
  --data-dir DIR              Where sources and the cache live (default: the desktop
                              app's data folder; the ALTAR_DATA_DIR variable overrides it)
  -h, --help                  Show this help
  -V, --version               Show the version

Exit codes: 0 success, 1 failure, 2 bad usage or unknown source.
`;
