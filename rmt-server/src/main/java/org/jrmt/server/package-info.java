/** The rmt server engine behind jrmtd (network daemon) and jrmt (stdin/stdout). */
package org.jrmt.server;
