/** Tapes: the {@code Tape} interface and its local backends (virtual, file, real drive). */
package org.jrmt.tape;
