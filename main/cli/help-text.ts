export const helpText = `Usage: altar-viewer [--data-dir DIR] <command> [options]

Browse Sacred experiment runs from the command line, or serve the viewer to a browser.

Commands:
  serve [--host 127.0.0.1] [--port N] [--no-open]
                              Serve the viewer on a loopback port and open a browser
  sources add NAME --folder PATH
                              Add a folder written by Sacred's FileStorageObserver
  sources add NAME --mongo URI [--db DB] [--prefix P] [--timeout-ms N] [--new]
                              Connect to a MongoDB written by Sacred's MongoObserver,
                              add it and read its runs; nothing is added when it fails.
                              DB defaults to the URI's database, else "sacred"; P picks
                              the <P>_runs collection. --new: DB may be new or empty (a
                              lab database to restore or copy runs into); its writes are
                              turned on, and it is not added when the user may not write
  sources list [--format table|json]
                              List the sources
  sources remove NAME         Forget a source and its cached runs (files and databases
                              are not touched)
  sources set NAME [--trust DIR ...] [--untrust DIR ...] [--notify on|off]
              [--writes on|off]
                              Folders besides the source's own whose files its runs may
                              name (e.g. sources kept next to the folder); a file a run
                              names anywhere else is never read. --notify: the desktop
                              app announces runs of the source that finish. --writes:
                              allow tags, notes and delete (every source starts
                              read-only; a MongoDB user that may only read is told so)
  profiles list [--format table|json]
                              List the MongoDB connection profiles (never with passwords)
  sync [NAME...] [--watch [--interval SECONDS]]
                              Read new and changed runs of the sources (all by default);
                              --watch syncs again every SECONDS (default 60) until Ctrl+C
  runs [--source NAME] [--limit N] [--format table|json|csv]
                              List the cached runs, newest first
  runs --where EXPR --sort KEY[:desc][,KEY] [--desc] --columns a,b,c [--format ...]
                              Filter, sort and pick columns with the run table's language,
                              e.g. --where 'config.lr >= 0.001 and status = COMPLETED'
                              --sort metrics.loss.last:desc --columns id,config.lr;
                              whole-number ids sort and compare as numbers (id > 10),
                              other ids after them; statuses match in any case
  demo [--runs N]             Write a folder of generated Sacred runs and add it as "demo"
  tag RUN... --source NAME [--add TAG ...] [--remove TAG ...]
                              Change runs' tags as Omniboard does (omniboard.tags; in a
                              folder, run.json's omniboard member); prints them without
                              --add/--remove. Offline MongoDB edits wait for the next sync
  note RUN --source NAME [--text TEXT]
                              Set a run's notes (omniboard.notes); empty TEXT clears them
  storage set SOURCE --endpoint URL --access-key KEY [--region R] [--virtual-host]
              [--local-root DIR ...]
                              Where the raw data of a source's Altar runs lives: the
                              S3/MinIO server (path-style unless --virtual-host; region
                              default us-east-1) and folders of this computer holding
                              the lab's local raw data; checks the server when a secret
                              key is given
  storage show SOURCE [--format table|json]
                              Show a source's storage profile (never the secret key)
  raw-data RUN_ID --source NAME [--link STEM [--download]] [--format table|json]
                              List the raw data of an Altar run and where each file is;
                              --link prints a presigned URL (valid 15 minutes)
  send FOLDER... --to SOURCE [--config FILE [--flatten] | --config-from-name PATTERN]
       [--metrics FILE [--x-axis COLUMN]] [--results FILE] [--artifact GLOB]...
       [--raw-data GLOB]... [--raw-to minio|local] [--bucket NAME] [--local-root DIR]
       [--again | --resume] [--dry-run] [--format text|json]
                              Send folders of lab results as new Sacred runs (as the
                              Altar sender did) to a source whose writes are on; FILE
                              and GLOB are relative to each folder; raw data goes to the
                              bucket on the source's storage server, or is copied to
                              DIR (default: its first local data folder). A folder sent
                              already is refused unless --again; one whose send failed
                              part-way is refused unless --resume (completes that run,
                              storing only what had not arrived) or --again (a new run).
                              Folder by folder: the others are sent, those not sent are
                              named, exit 1 unless all ended COMPLETED; --dry-run prints
                              the documents. Prints the new run ids
  delete RUN... --source NAME [--yes]
                              Delete runs (MongoDB: metrics, artifacts, unshared source
                              files, then the run; folders: moved to .altar-trash). Without
                              --yes, says what would go and exits 2. Raw data stays.
  users list --source NAME [--format table|json]
                              The users of a MongoDB source's database and their access
  users add --source NAME --name USER --role reader|writer [--generate]
                              Add a lab member with read or readWrite on the database
  users passwd --source NAME --name USER [--generate]
                              Give a user a new password
  users remove --source NAME --name USER
                              Remove a user. New passwords come from ALTAR_NEW_USER_PASSWORD,
                              else are asked twice at the terminal, else (--generate) are
                              generated and printed once; the source's user needs userAdmin
  export SOURCE --to DIR [--where EXPR] [--gzip] [--raw-data [--dry-run]]
                              Back up a source's runs (or those matching EXPR) with their
                              metrics, artifacts, source files and Omniboard's settings
                              in mongodump's layout, DIR/<db>/<collection>.bson, which
                              mongorestore restores; --gzip as mongodump's. Progress on
                              stderr, and what could not be included. --raw-data: also
                              the MinIO objects the runs name (the source's storage
                              profile), as DIR/raw_data/<bucket>/<key>; their count and
                              size are printed first (--dry-run: only that)
  import DIR --to SOURCE [--db NAME] [--raw-data [--bucket NAME]]
                              Restore such a folder (or a mongodump of a Sacred database)
                              into a MongoDB source or a folder source (FileStorage runs).
                              Runs already there are skipped; a run whose id is taken gets
                              the next one (old -> new printed and kept in its info).
                              --raw-data: upload DIR/raw_data to the target source's
                              storage, into NAME (default: each object's own bucket), and
                              point the runs at it. A new, empty database: add it first
                              with 'sources add NAME --mongo URI --db DB --new'
  copy --from SOURCE --to SOURCE [--where EXPR]
                              Copy runs with everything of them between sources (MongoDB
                              or folder, either way); copying again adds nothing

Global options:
  --data-dir DIR              Where sources and the cache live (default: the desktop
                              app's data folder; the ALTAR_DATA_DIR variable overrides it)
  -h, --help                  Show this help
  -V, --version               Show the version

MongoDB passwords: taken from the URI (mongodb://user:password@host/db), else from the
ALTAR_MONGO_PASSWORD variable, else asked at the terminal. They are kept in memory only,
so "sync" asks again; they are never written to the data directory.
Lab setups go in the URI as for any MongoDB client: TLS with the lab's own CA
(?tls=true&tlsCAFile=/path/lab-ca.pem), a replica set (mongodb://h1,h2/db?replicaSet=rs0;
a readPreference such as secondaryPreferred is kept), an Atlas name (mongodb+srv://...).

S3 secret access keys: from the ALTAR_S3_SECRET variable, else asked at the terminal;
like MongoDB passwords they are kept in memory only.

Exit codes: 0 success, 1 failure (including a server that cannot be reached or refuses
the password), 2 bad usage or unknown source, 130 cancelled at the password prompt.
`;
