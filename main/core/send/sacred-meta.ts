/**
 * `meta` of a sent run as Sacred writes it for `ex.run(options={'--capture': 'no'})`, the old
 * sender's call (experiment_sender.py l.151): every option flag with its default.
 */
export function senderMeta(): Record<string, unknown> {
  return {
    command: 'run',
    options: {
      '--beat-interval': null,
      '--capture': 'no',
      '--comment': null,
      '--debug': false,
      '--enforce_clean': false,
      '--file_storage': null,
      '--force': false,
      '--help': false,
      '--id': null,
      '--loglevel': null,
      '--mongo_db': null,
      '--name': null,
      '--pdb': false,
      '--print-config': false,
      '--priority': null,
      '--queue': false,
      '--s3': null,
      '--sql': null,
      '--tiny_db': null,
      '--unobserved': false,
    },
    named_configs: [],
    config_updates: {},
  };
}
