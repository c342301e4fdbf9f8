/** jdump and jrestore: the dump(8) tape format over any Tape. */
package org.jrmt.dump;
