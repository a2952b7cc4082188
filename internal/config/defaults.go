package config

import (
	"reflect"

	"github.com/spf13/viper"
)

// tagName is the struct tag viper decodes the configuration with.
const tagName = "mapstructure"

// setDefaults registers every key of d, walking its mapstructure tags, so
// each key has its default and can be set from the environment even when no
// file mentions it (viper only maps environment variables onto keys it
// knows). Deriving the keys from the struct keeps them from drifting apart:
// a key added to a config struct is registered without another list.
func setDefaults(v *viper.Viper, d Config) {
	registerDefaults(v, "", reflect.ValueOf(d))
}

func registerDefaults(v *viper.Viper, prefix string, val reflect.Value) {
	t := val.Type()
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get(tagName)
		if tag == "" || tag == "-" {
			continue
		}
		field := val.Field(i)
		if field.Kind() == reflect.Struct {
			registerDefaults(v, prefix+tag+".", field)
			continue
		}
		v.SetDefault(prefix+tag, field.Interface())
	}
}
