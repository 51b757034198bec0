/**
 * WebHDFS's error answer: `{"RemoteException": {"exception", "javaClassName", "message"}}`
 * with the status code Hadoop's ExceptionHandler picks (FileNotFoundException
 * 404, other IOExceptions 403, IllegalArgumentException 400, SecurityException
 * 401, anything else 500).
 */

/** The only error statuses WebHDFS uses (and the `webhdfs` client recognises). */
export type WebHdfsErrorStatus = 400 | 401 | 403 | 404 | 500;

const JAVA_CLASS_NAMES: Record<string, string> = {
  FileNotFoundException: 'java.io.FileNotFoundException',
  EOFException: 'java.io.EOFException',
  IOException: 'java.io.IOException',
  IllegalArgumentException: 'java.lang.IllegalArgumentException',
  SecurityException: 'java.lang.SecurityException',
  UnsupportedOperationException: 'java.lang.UnsupportedOperationException',
  FileAlreadyExistsException: 'org.apache.hadoop.fs.FileAlreadyExistsException',
  ParentNotDirectoryException: 'org.apache.hadoop.fs.ParentNotDirectoryException',
  PathIsNotEmptyDirectoryException: 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException',
  InvalidPathException: 'org.apache.hadoop.fs.InvalidPathException',
  AccessControlException: 'org.apache.hadoop.security.AccessControlException',
  RetriableException: 'org.apache.hadoop.ipc.RetriableException',
  StandbyException: 'org.apache.hadoop.ipc.StandbyException',
  SafeModeException: 'org.apache.hadoop.hdfs.server.namenode.SafeModeException',
};

/** A Hadoop exception to send as a RemoteException answer. */
export class RemoteException extends Error {
  readonly javaClassName: string;

  constructor(readonly status: WebHdfsErrorStatus, readonly exception: string, message: string) {
    super(message);
    this.name = 'RemoteException';
    this.javaClassName = JAVA_CLASS_NAMES[exception] ?? `org.apache.hadoop.${exception}`;
  }

  /** The JSON body WebHDFS sends. */
  toJson(): { RemoteException: { exception: string; javaClassName: string; message: string } } {
    return { RemoteException: { exception: this.exception, javaClassName: this.javaClassName, message: this.message } };
  }

  static fileNotFound(message: string): RemoteException {
    return new RemoteException(404, 'FileNotFoundException', message);
  }

  static alreadyExists(message: string): RemoteException {
    return new RemoteException(403, 'FileAlreadyExistsException', message);
  }

  static illegalArgument(message: string): RemoteException {
    return new RemoteException(400, 'IllegalArgumentException', message);
  }
}

/** True for the statuses {@link WebHdfsErrorStatus} allows. */
export function isWebHdfsErrorStatus(status: number): status is WebHdfsErrorStatus {
  return status === 400 || status === 401 || status === 403 || status === 404 || status === 500;
}
