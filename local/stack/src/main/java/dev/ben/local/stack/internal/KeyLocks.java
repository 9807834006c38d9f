package dev.ben.local.stack.internal;

import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks over item keys: writes to the same item are serialised (so the layer reads the image before
 * and after each write without interleaving), writes to different items mostly run in parallel. Several keys
 * are always locked in stripe order, so batch writes cannot deadlock.
 */
final class KeyLocks {

    private final ReentrantLock[] stripes;

    KeyLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Locks every stripe the keys fall into; close the result to unlock. */
    Held lock(Collection<String> keys) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String key : keys) {
            indexes.add(Math.floorMod(key.hashCode() * 0x9E3779B9, stripes.length));
        }
        int[] held = indexes.stream().mapToInt(Integer::intValue).toArray();
        for (int index : held) {
            stripes[index].lock();
        }
        return () -> {
            for (int i = held.length - 1; i >= 0; i--) {
                stripes[held[i]].unlock();
            }
        };
    }

    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
