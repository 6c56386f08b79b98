/** Options of the CircleCI engine. */
export interface CircleCiEngineProps {
  /**
   * Name of the one workflow of the config.
   * @default - the pipeline's name
   */
  readonly workflowName?: string;
}
